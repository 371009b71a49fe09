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
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries, checked on the test classpath of the CLI, which holds every module of the
 * reactor (the ones the CLI does not need are test dependencies in cli/pom.xml; {@link
 * #everyModuleIsChecked()} fails when a new module is missing there). The rules are written over
 * package names ({@code io.marty.observability.<module>}), so a new module is covered once it is on
 * that classpath: no module uses another module's {@code .internal} package, {@code core} depends on
 * no other Marty module, no library depends on the applications (cli, demo, examples), and nothing
 * but tests uses the testing artifact.
 */
class ArchitectureTest {
    private static final String ROOT = "io.marty.observability";

    /** Not on the CLI's classpath: a JMH harness (shaded jar, not run by verify) with no library code. */
    private static final Set<String> NOT_CHECKED = Set.of("benchmarks");

    private static final String[] APPLICATIONS = {ROOT + ".cli..", ROOT + ".demo..", ROOT + ".examples.."};

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

    static final ArchRule LIBRARIES_DO_NOT_DEPEND_ON_APPLICATIONS = noClasses()
            .that()
            .resideOutsideOfPackages(APPLICATIONS)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(APPLICATIONS);

    /** The testing artifact is a test-scope dependency: production code never needs it. */
    static final ArchRule TESTING_ONLY_IN_TESTS = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + ".testing..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ROOT + ".testing..");

    @Test
    void everyModuleIsChecked() {
        Set<String> imported =
                PRODUCTION.stream().map(ArchitectureTest::moduleOf).collect(Collectors.toSet());
        Set<String> expected = new TreeSet<>();
        for (String dir : ReactorModules.directories()) {
            if (!NOT_CHECKED.contains(dir)) {
                expected.addAll(ReactorModules.packageRoots(dir));
            }
        }
        assertThat(expected).contains("core", "cli", "demo", "examples", "loganalysiskafka", "testing");
        assertThat(imported)
                .as("every module's classes must be on cli's test classpath: add the missing module to"
                        + " cli/pom.xml as a test dependency")
                .containsAll(expected);
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
    void librariesDoNotDependOnApplications() {
        LIBRARIES_DO_NOT_DEPEND_ON_APPLICATIONS.check(PRODUCTION);
    }

    @Test
    void onlyTestsUseTheTestingArtifact() {
        TESTING_ONLY_IN_TESTS.check(PRODUCTION);
    }

    @Test
    void theInternalsRuleDetectsAViolation() {
        assertDetects(NO_FOREIGN_INTERNALS, "ReachesIntoCoreInternal", "MdcContextStorage");
    }

    @Test
    void theTestingRuleDetectsAViolation() {
        assertDetects(TESTING_ONLY_IN_TESTS, "UsesTheTestingArtifact", "ManualClock");
    }

    /** The rule reports {@code origin} using {@code target} among the deliberate violations in {@code archfixture}. */
    private static void assertDetects(ArchRule rule, String origin, String target) {
        JavaClasses fixtures = new ClassFileImporter().importPackages(ROOT + ".cli.archfixture");
        EvaluationResult result = rule.evaluate(fixtures);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains(origin).contains(target));
    }
}
