package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * Every public (non-{@code internal}) package of the null-marked modules declares {@code @NullMarked}
 * in its {@code package-info.java}, so "non-null unless {@code @Nullable}" holds for all of their API.
 * The other modules' classes are not on core's test classpath, so their sources are read from the
 * repository checkout.
 */
class NullMarkedPackagesTest {

    /**
     * Every module with main sources except {@code benchmarks} (JMH harnesses, not an API) and {@code bom}
     * (no sources); a new module is added here when its packages get the annotation.
     */
    private static final List<String> MODULES = List.of(
            "core",
            "spec",
            "testing",
            "logging",
            "http",
            "grpc",
            "jdbc",
            "redis",
            "slo",
            "business",
            "loganalysis",
            "kafka",
            "kafka-broker",
            "loganalysis-kafka",
            "console",
            "examples",
            "demo",
            "dashboards",
            "spring-boot-autoconfigure",
            "examples/spring-boot",
            "cli");

    /** {@code @NullMarked} (simple name with the import, or fully qualified) annotating the package declaration. */
    private static final Pattern NULL_MARKED_PACKAGE =
            Pattern.compile("(?m)^@(org\\.jspecify\\.annotations\\.)?NullMarked\\s*(@\\S+\\s*)*^package\\s+[\\w.]+;");

    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+org\\.jspecify\\.annotations\\.NullMarked;");

    @Test
    void everyPublicPackageOfTheNullMarkedModulesIsNullMarked() throws IOException {
        Path root = repositoryRoot();
        List<String> missing = new ArrayList<>();
        TreeSet<String> checked = new TreeSet<>();
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("sources of module %s", module).isDirectory();
            for (Path dir : publicPackageDirectories(sources)) {
                String pkg = sources.relativize(dir)
                        .toString()
                        .replace(dir.getFileSystem().getSeparator(), ".");
                checked.add(module + ":" + pkg);
                Path info = dir.resolve("package-info.java");
                if (!Files.isRegularFile(info)) {
                    missing.add(module + ": " + pkg + " has no package-info.java");
                    continue;
                }
                String text = stripComments(Files.readString(info));
                boolean qualified = text.contains("@org.jspecify.annotations.NullMarked");
                if (!NULL_MARKED_PACKAGE.matcher(text).find()
                        || (!qualified && !IMPORT.matcher(text).find())) {
                    missing.add(module + ": " + pkg + " is not @NullMarked");
                }
            }
        }
        // one package per module at least, so a wrong root or layout cannot make the test pass vacuously
        for (String module : MODULES) {
            assertThat(checked).as("packages found in %s", module).anyMatch(p -> p.startsWith(module + ":"));
        }
        assertThat(missing).as("packages checked: %s", checked).isEmpty();
    }

    /** Modules of the root pom left out of {@link #MODULES}: no API to mark (the starter is a dependency list). */
    private static final Set<String> NOT_NULL_MARKED = Set.of("bom", "benchmarks", "spring-boot-starter");

    @Test
    void everyModuleOfTheBuildIsCheckedOrLeftOutOnPurpose() throws IOException {
        String pom = Files.readString(repositoryRoot().resolve("pom.xml"));
        Set<String> modules = new TreeSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        modules.removeAll(NOT_NULL_MARKED);
        assertThat(modules).as("modules of the root pom").isNotEmpty();
        assertThat(new TreeSet<>(MODULES)).isEqualTo(modules);
    }

    @Test
    void corePackagesCarryTheAnnotationAtRuntime() throws ClassNotFoundException {
        for (String pkg : List.of(
                "io.marty.observability.core",
                "io.marty.observability.core.config",
                "io.marty.observability.core.correlation",
                "io.marty.observability.core.propagation")) {
            assertThat(Class.forName(pkg + ".package-info").isAnnotationPresent(NullMarked.class))
                    .as(pkg)
                    .isTrue();
        }
    }

    /** Directories holding at least one class, except {@code internal} packages and their sub-packages. */
    private static List<Path> publicPackageDirectories(Path sources) throws IOException {
        try (Stream<Path> dirs = Files.walk(sources)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> !sources.relativize(d).toString().matches("(.*[/\\\\])?internal([/\\\\].*)?"))
                    .filter(NullMarkedPackagesTest::holdsClasses)
                    .sorted()
                    .toList();
        }
    }

    private static boolean holdsClasses(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".java") && !name.equals("package-info.java");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }

    /** The checkout's root: the first directory upwards from core's that holds the root pom and every module. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path d = dir;
            if (Files.isRegularFile(d.resolve("pom.xml"))
                    && MODULES.stream()
                            .allMatch(m -> Files.isDirectory(d.resolve(m).resolve("src/main/java")))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root with the modules " + MODULES + " above "
                + Path.of("").toAbsolutePath());
    }
}
