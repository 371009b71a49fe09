package io.marty.observability.cli;

import io.marty.observability.cli.CliInput.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What {@code marty generate service} does, apart from the command line: checks the request, renders
 * the templates listed in {@code templates/<framework>/files.txt} in memory and writes them. Bad input throws {@link InputException} before anything is written.
 */
final class ServiceGenerator {

    /** Service types. */
    static final List<String> TYPES = List.of("http", "grpc", "hybrid");

    /** Frameworks. */
    static final List<String> FRAMEWORKS = List.of("plain", "spring");

    /** The Spring Boot starter the spring templates use. */
    static final String SPRING_STARTER = "marty-observability-spring-boot-starter";

    /** Maven groupId of the Marty modules. */
    static final String GROUP_ID = "io.marty.observability";

    private static final String TEMPLATES = "templates/";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_NAME = 63;
    private static final Set<String> JAVA_RESERVED = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "_",
            "var",
            "yield",
            "record",
            "sealed",
            "permits",
            "non-sealed");

    /** One file to write: its path relative to the output directory and its content. */
    record GeneratedFile(String path, String content) {}

    /** A checked request. */
    record Request(String type, String name, String group, String javaPackage, String framework) {}

    private ServiceGenerator() {}

    /** Checks the options and fills in the defaults; throws {@link InputException} naming the bad one. */
    static Request request(
            String type, String name, @Nullable String group, @Nullable String javaPackage, String framework) {
        if (!TYPES.contains(type)) {
            throw new InputException(
                    "--type '" + type + "': unknown service type; expected one of " + String.join(", ", TYPES));
        }
        if (!FRAMEWORKS.contains(framework)) {
            throw new InputException("--framework '" + framework + "': unknown framework; expected one of "
                    + String.join(", ", FRAMEWORKS));
        }
        if (name.length() > MAX_NAME || !DNS_LABEL.matcher(name).matches()) {
            throw new InputException("--name '" + name + "': not a DNS-1123 label (at most " + MAX_NAME
                    + " lowercase letters, digits and '-', starting and ending with a letter or digit)");
        }
        String g = group == null ? "com.example" : group;
        checkPackage("--group", g);
        String p = javaPackage;
        if (p == null) {
            String last = name.replace("-", "");
            p = g + "." + (Character.isDigit(last.charAt(0)) ? "service" + last : last);
            checkPackage("--package (from --group and --name)", p);
        } else {
            checkPackage("--package", p);
        }
        if ("spring".equals(framework) && !"http".equals(type)) {
            throw new InputException("--framework spring: only --type http is available with Spring Boot; use"
                    + " --framework plain for grpc and hybrid services");
        }
        return new Request(type, name, g, p, framework);
    }

    private static void checkPackage(String option, String pkg) {
        if (pkg.isEmpty() || pkg.length() > 200) {
            throw new InputException(option + " '" + pkg + "': not a Java package name (1 to 200 characters)");
        }
        for (String part : pkg.split("\\.", -1)) {
            if (part.isEmpty()
                    || !Character.isJavaIdentifierStart(part.charAt(0))
                    || !part.chars().allMatch(Character::isJavaIdentifierPart)
                    || !part.chars().allMatch(c -> c < 128)) {
                throw new InputException(option + " '" + pkg + "': not a Java package name ('" + part
                        + "' is not an ASCII Java identifier)");
            }
            if (JAVA_RESERVED.contains(part)) {
                throw new InputException(
                        option + " '" + pkg + "': '" + part + "' is a reserved word in Java, not allowed in a package");
            }
        }
    }

    /** Renders every file of the request, in memory. */
    static List<GeneratedFile> render(Request request, Map<String, String> versions) {
        Map<String, String> values = new HashMap<>(versions);
        values.put("name", request.name());
        values.put("group", request.group());
        values.put("package", request.javaPackage());
        values.put("packagePath", request.javaPackage().replace('.', '/'));
        values.put("type", request.type());
        values.put("NAME", request.name().toUpperCase(Locale.ROOT).replace('-', '_'));
        Set<String> flags = new HashSet<>();
        flags.add("type-" + request.type());
        if (!"grpc".equals(request.type())) {
            flags.add("http");
        }
        if (!"http".equals(request.type())) {
            flags.add("grpc");
        }
        flags.add(request.framework());
        TemplateRenderer renderer = new TemplateRenderer(values, flags);
        String dir = TEMPLATES + request.framework() + "/";
        List<GeneratedFile> files = new ArrayList<>();
        int lineNo = 0;
        for (String line : resource(dir + "files.txt").split("\n")) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length != 3) {
                throw new IllegalStateException(
                        dir + "files.txt:" + lineNo + ": expected '<template> <target> <types>'");
            }
            if (!List.of(f[2].split(",")).contains(request.type())) {
                continue;
            }
            String target = renderer.substitute(dir + "files.txt", lineNo, f[1]);
            files.add(new GeneratedFile(target, renderer.render(f[0], resource(TEMPLATES + f[0]))));
        }
        return files;
    }

    /**
     * The versions the generated project pins: this build's own (resource filtered by Maven), so it
     * builds offline from the same local repository.
     */
    static Map<String, String> versions() {
        Properties p = new Properties();
        try (InputStream in = open(TEMPLATES + "generator-versions.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /**
     * Why the Spring Boot starter cannot be used, or null when it can: this build must know the Spring
     * Boot version and the starter must be in the local Maven repository ({@code repository}).
     */
    static @Nullable String springUnavailableReason(Map<String, String> versions, Path repository) {
        String boot = versions.get("spring-boot.version");
        String marty = versions.get("marty.version");
        if (boot == null || boot.startsWith("${")) {
            return "this build of marty has no Spring Boot starter (" + GROUP_ID + ":" + SPRING_STARTER + ")";
        }
        Path jar = repository.resolve(GROUP_ID.replace('.', '/') + "/" + SPRING_STARTER + "/" + marty + "/"
                + SPRING_STARTER + "-" + marty + ".jar");
        if (!Files.isRegularFile(jar)) {
            return GROUP_ID + ":" + SPRING_STARTER + ":" + marty + " is not in the local Maven repository ("
                    + repository + "); install it with `mvn install` in the Marty checkout";
        }
        return null;
    }

    /** The local Maven repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Throws when {@code output} is a file, or a non-empty directory and {@code force} is off. */
    static void checkOutput(Path output, boolean force) {
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new InputException("--output " + output + ": is a file, not a directory");
        }
        if (Files.isDirectory(output) && !force) {
            try (Stream<Path> entries = Files.list(output)) {
                if (entries.findAny().isPresent()) {
                    throw new InputException("--output " + output
                            + ": directory exists and is not empty; choose another or use --force to overwrite");
                }
            } catch (IOException e) {
                throw new InputException(CliInput.describe(output.toString(), e));
            }
        }
    }

    /** Writes the files under {@code output}; returns the paths written. */
    static List<Path> write(Path output, List<GeneratedFile> files) throws IOException {
        List<Path> written = new ArrayList<>();
        for (GeneratedFile f : files) {
            Path target = output.resolve(f.path());
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.content());
            written.add(target);
        }
        return written;
    }

    private static String resource(String path) {
        try (InputStream in = open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String path) {
        InputStream in = ServiceGenerator.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing resource " + path + " next to " + ServiceGenerator.class);
        }
        return in;
    }
}
