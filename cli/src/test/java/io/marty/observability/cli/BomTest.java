package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** bom/pom.xml lists exactly the library modules, at the project's version. */
class BomTest {
    /** Applications, code to copy and the benchmark harness: built here, not depended on by users. */
    private static final Set<String> NOT_PUBLISHED =
            Set.of("bom", "cli", "demo", "examples", "examples/spring-boot", "benchmarks");

    @Test
    void bomListsEveryLibraryModuleAndNothingElse() {
        Set<String> libraries = new TreeSet<>();
        for (String dir : ReactorModules.directories()) {
            if (!NOT_PUBLISHED.contains(dir)) {
                libraries.add(ReactorModules.artifactId(dir));
            }
        }
        Set<String> listed = new TreeSet<>();
        NodeList deps =
                ReactorModules.pom(ReactorModules.ROOT.resolve("bom/pom.xml")).getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            assertThat(dep.getElementsByTagName("version").item(0).getTextContent())
                    .isEqualTo("${project.version}");
            listed.add(dep.getElementsByTagName("artifactId").item(0).getTextContent());
        }
        assertThat(listed)
                .as("bom/pom.xml must list every library module of the root pom (new module? add it there,"
                        + " or to NOT_PUBLISHED here if users never depend on it)")
                .isEqualTo(libraries)
                .contains("marty-observability-core", "marty-observability-testing");
    }

    @Test
    void bomPinsThePluginVersionsOfTheParent() {
        // the bom has no parent, so `mvn install` would otherwise run Maven's old default plugins
        NodeList plugins =
                ReactorModules.pom(ReactorModules.ROOT.resolve("bom/pom.xml")).getElementsByTagName("plugin");
        Element properties = (Element) ReactorModules.pom(ReactorModules.ROOT.resolve("pom.xml"))
                .getElementsByTagName("properties")
                .item(0);
        assertThat(plugins.getLength()).isEqualTo(2);
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            String artifact = plugin.getElementsByTagName("artifactId").item(0).getTextContent();
            String version = plugin.getElementsByTagName("version").item(0).getTextContent();
            String property = artifact.replace("maven-", "").replace("-plugin", "-plugin.version");
            assertThat(properties.getElementsByTagName(property).item(0).getTextContent())
                    .as(artifact + " in bom/pom.xml and " + property + " in the parent")
                    .isEqualTo(version);
        }
    }

    @Test
    void bomHasTheProjectVersionAndNoParent() {
        // no parent: importing the BOM must not import the parent's third-party version pins
        assertThat(ReactorModules.pom(ReactorModules.ROOT.resolve("bom/pom.xml"))
                        .getElementsByTagName("parent")
                        .getLength())
                .isZero();
        assertThat(ReactorModules.version(ReactorModules.ROOT.resolve("bom/pom.xml")))
                .isEqualTo(ReactorModules.version(ReactorModules.ROOT.resolve("pom.xml")));
    }
}
