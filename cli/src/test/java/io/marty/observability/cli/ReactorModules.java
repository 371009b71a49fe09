package io.marty.observability.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The reactor as the root pom declares it, read from the checkout (tests run in {@code cli/}). */
final class ReactorModules {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private ReactorModules() {}

    /** Module directories listed in the root pom's {@code <modules>}. */
    static List<String> directories() {
        List<String> modules = new ArrayList<>();
        NodeList nodes = pom(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(nodes.item(i).getTextContent().trim());
        }
        return modules;
    }

    /** {@code project/artifactId} of a module. */
    static String artifactId(String directory) {
        return child(pom(ROOT.resolve(directory).resolve("pom.xml")).getDocumentElement(), "artifactId");
    }

    /** {@code project/version} of a pom (the module's own, not the parent's). */
    static String version(Path pom) {
        return child(pom(pom).getDocumentElement(), "version");
    }

    /** The first segment under {@code io.marty.observability} of the module's main sources, if any. */
    static Set<String> packageRoots(String directory) {
        Path base = ROOT.resolve(directory).resolve("src/main/java/io/marty/observability");
        Set<String> roots = new TreeSet<>();
        if (Files.isDirectory(base)) {
            try (Stream<Path> children = Files.list(base)) {
                children.filter(Files::isDirectory)
                        .forEach(p -> roots.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return roots;
    }

    static Document pom(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        throw new IllegalStateException("no <" + name + "> under <" + parent.getTagName() + ">");
    }
}
