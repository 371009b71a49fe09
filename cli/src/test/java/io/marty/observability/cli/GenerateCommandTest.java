package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code marty generate service}: options, errors (exit 2, nothing written), dry run, rendering. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = MartyCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int generate(String type, String name, String... more) {
        String[] base = {"generate", "service", "--type", type, "--name", name};
        return run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void writesEachTypeWithItsFiles() throws Exception {
        assertThat(generate(
                        "http",
                        "orders",
                        "--group",
                        "io.acme",
                        "-o",
                        dir.resolve("h").toString()))
                .isZero();
        assertThat(generate("grpc", "payments", "-o", dir.resolve("g").toString()))
                .isZero();
        assertThat(generate(
                        "hybrid",
                        "stock",
                        "--package",
                        "io.acme.stock",
                        "-o",
                        dir.resolve("y").toString()))
                .isZero();

        assertThat(dir.resolve("h/src/main/java/io/acme/orders/HelloApi.java")).exists();
        assertThat(dir.resolve("h/src/main/proto")).doesNotExist();
        assertThat(Files.readString(dir.resolve("h/pom.xml")))
                .contains("<artifactId>orders</artifactId>", "<groupId>io.acme</groupId>")
                .contains("<marty.version>" + ServiceGenerator.versions().get("marty.version") + "</marty.version>")
                .doesNotContain("grpc");
        assertThat(Files.readString(dir.resolve("h/k8s/orders.yaml")))
                .contains("path: /health/ready", "prometheus.io/scrape: \"true\"", "OTEL_EXPORTER_OTLP_ENDPOINT")
                .doesNotContain("9090");
        assertThat(Files.readString(dir.resolve("h/src/main/resources/logback.xml")))
                .contains("MARTY_ASYNC_CONSOLE", "logback-marty.xml");

        // grpc: default package from com.example + name, proto compiled into it, no HTTP API
        assertThat(Files.readString(dir.resolve("g/src/main/proto/greeter.proto")))
                .contains("option java_package = \"com.example.payments\";");
        assertThat(dir.resolve("g/src/main/java/com/example/payments/GreeterService.java"))
                .exists();
        assertThat(dir.resolve("g/src/main/java/com/example/payments/HelloApi.java"))
                .doesNotExist();
        assertThat(Files.readString(dir.resolve("g/Dockerfile"))).contains("EXPOSE 9090", "USER 10001");

        assertThat(dir.resolve("y/src/main/java/io/acme/stock/HelloApi.java")).exists();
        assertThat(dir.resolve("y/src/main/java/io/acme/stock/GrpcQuoteClient.java"))
                .exists();
        assertThat(dir.resolve("y/src/main/java/io/acme/stock/HttpQuoteClient.java"))
                .doesNotExist();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain("{{");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void theGeneratedProjectPinsTheVersionsOfThisBuild() {
        // generator-versions.properties is filtered from the parent pom: every key is one of its
        // properties (a renamed property would otherwise leave "${...}" in generated poms)
        org.w3c.dom.Element properties =
                (org.w3c.dom.Element) ReactorModules.pom(ReactorModules.ROOT.resolve("pom.xml"))
                        .getElementsByTagName("properties")
                        .item(0);
        Map<String, String> versions = ServiceGenerator.versions();
        assertThat(versions.get("marty.version"))
                .isEqualTo(ReactorModules.version(ReactorModules.ROOT.resolve("pom.xml")));
        versions.forEach((key, value) -> {
            if (key.equals("marty.version") || (key.equals("spring-boot.version") && value.startsWith("${"))) {
                return; // spring-boot.version: only in a build with the Spring Boot starter
            }
            assertThat(properties.getElementsByTagName(key).item(0))
                    .as("parent pom property " + key)
                    .isNotNull();
            assertThat(value)
                    .as(key)
                    .isEqualTo(properties.getElementsByTagName(key).item(0).getTextContent());
        });
    }

    @Test
    void theSloFileLoadsWithTheSloModule() throws Exception {
        assertThat(generate("http", "orders", "-o", dir.toString())).isZero();
        List<io.marty.observability.slo.Slo> slos =
                io.marty.observability.slo.SloLoader.load(List.of(dir.resolve("slo/orders.yaml")));
        assertThat(slos).hasSize(2).allMatch(s -> s.service().equals("orders"));
    }

    @Test
    void dryRunListsTheFilesAndWritesNothing() {
        Path out = dir.resolve("svc");
        var stdout = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(generate("grpc", "payments", "-o", out.toString(), "--dry-run"))
                    .isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(out).doesNotExist();
        assertThat(stdout.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("pom.xml", "src/main/proto/greeter.proto", "k8s/payments.yaml", "slo/payments.yaml")
                .contains("src/main/java/com/example/payments/Application.java");
    }

    @Test
    void badInputIsOneLineNamingItExitTwoAndNothingWritten() throws Exception {
        Path out = dir.resolve("out");
        // {options, what the message says}
        String[][] cases = {
            {"--type fastapi --name x", "--type 'fastapi': unknown service type; expected one of http, grpc, hybrid"},
            {"--type http --name Orders", "--name 'Orders': not a DNS-1123 label"},
            {"--type http --name orders-", "--name 'orders-': not a DNS-1123 label"},
            {"--type http --name orders_1", "--name 'orders_1': not a DNS-1123 label"},
            {"--type http --name " + "a".repeat(64), "not a DNS-1123 label (at most 63"},
            {"--type http --name orders --package io.acme.class", "'io.acme.class': 'class' is a reserved word"},
            {"--type http --name orders --package io.1acme", "--package 'io.1acme': not a Java package name"},
            {"--type http --name orders --group io..acme", "--group 'io..acme': not a Java package name"},
            {"--type http --name orders --group io.acme.new", "--group 'io.acme.new': 'new' is a reserved word"},
            {"--type http --name new", "--package (from --group and --name) 'com.example.new': 'new' is a reserved"},
            {"--type http --name orders --framework quarkus", "--framework 'quarkus': unknown framework"},
            {"--type grpc --name orders --framework spring", "only --type http is available with Spring Boot"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            String[] args = ("generate service -o " + out + " " + c[0]).split(" ");
            assertThat(run(args)).as(c[0]).isEqualTo(2);
            assertThat(err.toString())
                    .as(c[0])
                    .startsWith("marty generate service: ")
                    .contains(c[1])
                    .hasLineCount(1);
            assertThat(out).as(c[0]).doesNotExist();
        }
    }

    @Test
    void aNonEmptyOutputDirectoryNeedsForce() throws Exception {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        assertThat(generate("http", "orders", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--output " + dir + ": directory exists and is not empty", "--force");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("keep.txt"));
        }

        assertThat(generate("http", "orders", "-o", dir.toString(), "--force")).isZero();
        assertThat(dir.resolve("pom.xml")).exists();
        assertThat(dir.resolve("keep.txt")).hasContent("mine");

        Path file = dir.resolve("keep.txt");
        assertThat(generate("http", "orders", "-o", file.toString(), "--force")).isEqualTo(2);
        assertThat(err.toString()).contains("is a file, not a directory");
    }

    @Test
    void springWithoutTheStarterSaysSoAndWritesNothing() {
        Path out = dir.resolve("spring");
        Map<String, String> versions = ServiceGenerator.versions();
        // this build has no starter, or the starter is not installed in an empty repository
        assertThat(ServiceGenerator.springUnavailableReason(versions, dir.resolve("empty-repo")))
                .contains(ServiceGenerator.SPRING_STARTER);
        if (ServiceGenerator.springUnavailableReason(versions, ServiceGenerator.localRepository()) != null) {
            assertThat(generate("http", "catalog", "--framework", "spring", "-o", out.toString()))
                    .isEqualTo(2);
            assertThat(err.toString())
                    .contains("--framework spring: the Marty Spring Boot starter is not available")
                    .contains("nothing was generated");
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void helpShowsExamples() {
        StringWriter out = new StringWriter();
        CommandLine cli = MartyCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("generate", "service", "--help")).isZero();
        assertThat(out.toString())
                .contains("Examples:", "marty generate service --type http --name orders")
                .contains(
                        "--type", "--name", "--group", "--package", "--output", "--framework", "--force", "--dry-run");
    }

    @Test
    void rendererKeepsBlocksByFlagAndFailsOnTemplateBugs() {
        TemplateRenderer r = new TemplateRenderer(Map.of("name", "orders"), Set.of("grpc"));
        assertThat(
                        r.render(
                                "t",
                                "a {{name}}\n{{#grpc}}\ng\n{{/grpc}}\n{{^grpc}}\nnot g\n{{/grpc}}\n{{#http}}\nh\n{{/http}}\nend\n"))
                .isEqualTo("a orders\ng\nend\n");
        assertThatThrownBy(() -> r.render("t", "{{missing}}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("t:1: no value for {{missing}}");
        assertThatThrownBy(() -> r.render("t", "{{#grpc}}\nx\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> r.render("t", "x\n{{/grpc}}\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("t:2");
    }
}
