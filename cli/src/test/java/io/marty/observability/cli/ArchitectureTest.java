package io.marty.observability.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries, checked on the classpath of the CLI (which depends on every module):
 * no module uses another module's {@code .internal} package, and {@code core} depends on no other
 * Marty module.
 */
class ArchitectureTest {
    private static final String ROOT = "io.marty.observability";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** {@code io.marty.observability.<module>.…} → {@code <module>}. */
    static String moduleOf(JavaClass c) {
        String rest =
                c.getPackageName().length() > ROOT.length() ? c.getPackageName().substring(ROOT.length() + 1) : "";
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static boolean isInternal(JavaClass c) {
        return (c.getPackageName() + ".").contains(".internal.");
    }

    static final ArchRule NO_FOREIGN_INTERNALS = classes()
            .that()
            .resideInAPackage(ROOT + "..")
            .should(new ArchCondition<JavaClass>("not use another module's .internal package") {
                @Override
                public void check(JavaClass origin, ConditionEvents events) {
                    for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                        JavaClass target = d.getTargetClass();
                        if (target.getPackageName().startsWith(ROOT + ".")
                                && isInternal(target)
                                && !moduleOf(target).equals(moduleOf(origin))) {
                            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                        }
                    }
                }
            });

    static final ArchRule CORE_DEPENDS_ON_NO_OTHER_MODULE = noClasses()
            .that()
            .resideInAPackage(ROOT + ".core..")
            .should()
            .dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".core.."))));

    /**
     * The servlet API is an optional ({@code provided}) dependency of the http module: a service on the JDK
     * {@code HttpServer} does not have it, so nothing its filter reaches may need it (a servlet helper called on
     * the filter's failure path once threw {@code NoClassDefFoundError} there).
     */
    static final ArchRule JDK_HTTP_FILTER_NEEDS_NO_SERVLET_API = noClasses()
            .that()
            .haveFullyQualifiedName(ROOT + ".http.MartyHttpServerFilter")
            .should()
            .transitivelyDependOnClassesThat()
            .resideInAPackage("jakarta.servlet..");

    @Test
    void importSeesTheModules() {
        Set<String> modules =
                PRODUCTION.stream().map(ArchitectureTest::moduleOf).collect(Collectors.toSet());
        assertThat(modules).contains("core", "cli", "examples");
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        NO_FOREIGN_INTERNALS.check(PRODUCTION);
    }

    @Test
    void jdkHttpServerFilterNeedsNoServletApi() {
        JDK_HTTP_FILTER_NEEDS_NO_SERVLET_API.check(PRODUCTION);
    }

    @Test
    void coreDependsOnNoOtherModule() {
        CORE_DEPENDS_ON_NO_OTHER_MODULE.check(PRODUCTION);
    }

    @Test
    void theInternalsRuleDetectsAViolation() {
        JavaClasses withFixture = new ClassFileImporter().importPackages(ROOT + ".cli.archfixture");
        EvaluationResult result = NO_FOREIGN_INTERNALS.evaluate(withFixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line ->
                        assertThat(line).contains("ReachesIntoCoreInternal").contains("MdcContextStorage"));
    }
}
