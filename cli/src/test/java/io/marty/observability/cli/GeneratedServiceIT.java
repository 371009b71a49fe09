package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.marty.observability.console.ConsoleServer;
import io.marty.observability.testing.ExternalTools;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code marty generate service} end to end: each type is generated, built with {@code mvn -o verify}
 * (its own tests and format check included) against the local Maven repository, started as its own JVM,
 * called with a correlation id, and checked from outside: id echoed, RED metrics on {@code /metrics},
 * {@code /health/ready} 200, and its spans and logs at an OTLP receiver (the console, in this JVM).
 *
 * <p>The generated projects depend on the Marty modules by coordinates, so these must be installed
 * ({@code mvn install}, as scripts/test-all.sh does). Without them the test is skipped outside CI and
 * fails in CI ({@code CI} set), like the tests that need a Debian tool.
 */
class GeneratedServiceIT {
    private static final String GROUP = "io.acme.it";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;

    private static ConsoleServer console;

    @BeforeAll
    static void generateAndBuild() throws Exception {
        Map<String, String> versions = ServiceGenerator.versions();
        Path core = ServiceGenerator.localRepository()
                .resolve("io/marty/observability/marty-observability-core/" + versions.get("marty.version"));
        boolean installed = Files.isDirectory(core);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("the Marty modules are not installed in "
                    + core.getParent().getParent() + "; run `mvn install` (scripts/test-all.sh does)");
        }
        Assumptions.assumeTrue(
                installed,
                "Marty modules not installed in the local Maven repository (mvn install); skipped outside CI");

        List<String> modules = new ArrayList<>();
        for (String type : ServiceGenerator.TYPES) {
            generate(type, type + "-it", "plain");
            modules.add(type + "-it");
        }
        if (springStarterInReactor()) {
            generate("http", "spring-it", "spring");
            modules.add("spring-it");
        }
        // one Maven run for all of them (one JVM start, plugins loaded once); each builds alone as well
        StringBuilder aggregator = new StringBuilder("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>" + GROUP + "</groupId>\n"
                + "  <artifactId>all</artifactId>\n  <version>1</version>\n  <packaging>pom</packaging>\n"
                + "  <modules>\n");
        modules.forEach(m -> aggregator.append("    <module>").append(m).append("</module>\n"));
        Files.writeString(dir.resolve("pom.xml"), aggregator.append("  </modules>\n</project>\n"));
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-o", "-q", "verify"));
        // the repository this build uses (failsafe passes -Dmaven.repo.local on to the test JVM)
        command.add("-Dmaven.repo.local=" + ServiceGenerator.localRepository());
        long started = System.nanoTime();
        ExternalTools.Result build = ExternalTools.run(dir, BUILD_TIMEOUT.toSeconds(), command.toArray(String[]::new));
        System.out.printf(
                "generated projects %s built in %d s%n", modules, (System.nanoTime() - started) / 1_000_000_000L);
        assertThat(build.exitCode())
                .as("mvn -o verify of the generated projects failed:\n" + build.output())
                .isZero();
        console = ConsoleServer.builder().port(0).build().start();
    }

    @AfterAll
    static void stopConsole() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void httpServiceAnswersAndReports() throws Exception {
        try (Service service = Service.start("http-it")) {
            callHttp(service, "it-http-0001");
        }
    }

    @Test
    void grpcServiceAnswersAndReports() throws Exception {
        try (Service service = Service.start("grpc-it")) {
            callGrpc(service, "it-grpc-0001", GROUP + ".grpcit");
        }
    }

    @Test
    void hybridServiceAnswersOverBothAndReports() throws Exception {
        try (Service service = Service.start("hybrid-it")) {
            callHttp(service, "it-hybrid-http-0001");
            callGrpc(service, "it-hybrid-grpc-0001", GROUP + ".hybridit");
        }
    }

    @Test
    void springServiceAnswersAndReports() throws Exception {
        Assumptions.assumeTrue(springStarterInReactor(), "no Spring Boot starter module in this build");
        try (Service service = Service.start("spring-it")) {
            callHttp(service, "it-spring-0001");
        }
    }

    private static void callHttp(Service service, String correlationId) throws Exception {
        HttpResponse<String> hello = HTTP.send(
                HttpRequest.newBuilder(service.http("/hello/world"))
                        .header("X-MMF-Correlation-ID", correlationId)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
        assertThat(hello.body()).contains("Hello, world!");
        assertThat(hello.headers().firstValue("X-MMF-Correlation-ID")).contains(correlationId);
        service.assertReports(correlationId, "route=\"/hello/{name}\"");
    }

    private static void callGrpc(Service service, String correlationId, String protoPackage) throws Exception {
        MethodDescriptor<byte[], byte[]> sayHello = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(protoPackage + ".Greeter/SayHello")
                .setRequestMarshaller(Bytes.INSTANCE)
                .setResponseMarshaller(Bytes.INSTANCE)
                .build();
        Metadata.Key<String> key = Metadata.Key.of("x-mmf-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
        Metadata headers = new Metadata();
        headers.put(key, correlationId);
        AtomicReference<Metadata> received = new AtomicReference<>();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort)
                .usePlaintext()
                .intercept(
                        MetadataUtils.newAttachHeadersInterceptor(headers),
                        MetadataUtils.newCaptureMetadataInterceptor(received, new AtomicReference<>()))
                .build();
        try {
            // HelloRequest{name = "world"}: field 1, length-delimited
            byte[] request = {0x0a, 5, 'w', 'o', 'r', 'l', 'd'};
            byte[] reply = ClientCalls.blockingUnaryCall(
                    channel, sayHello, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
            assertThat(new String(reply, StandardCharsets.UTF_8)).contains("Hello, world!");
            assertThat(received.get().get(key)).isEqualTo(correlationId);
        } finally {
            channel.shutdownNow();
        }
        service.assertReports(correlationId, "Greeter/SayHello");
    }

    private static void generate(String type, String name, String framework) {
        int rc = MartyCli.commandLine()
                .execute(
                        "generate",
                        "service",
                        "--type",
                        type,
                        "--name",
                        name,
                        "--group",
                        GROUP,
                        "--framework",
                        framework,
                        "--output",
                        dir.resolve(name).toString());
        assertThat(rc).as("generate " + type + " " + name).isZero();
    }

    private static boolean springStarterInReactor() {
        return ReactorModules.directories().stream()
                .anyMatch(d -> ServiceGenerator.SPRING_STARTER.equals(ReactorModules.artifactId(d)));
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One generated service running as its own JVM, exporting to the console. */
    private static final class Service implements AutoCloseable {
        final String name;
        final int httpPort;
        final int grpcPort;
        final Process process;
        final Path log;

        private Service(String name, int httpPort, int grpcPort, Process process, Path log) {
            this.name = name;
            this.httpPort = httpPort;
            this.grpcPort = grpcPort;
            this.process = process;
            this.log = log;
        }

        static Service start(String name) throws Exception {
            int httpPort = freePort();
            int grpcPort = freePort();
            Path log = dir.resolve(name + ".out");
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-jar",
                            dir.resolve(name + "/target/" + name + ".jar").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MMF_") || k.startsWith("MARTY_"));
            env.put("PORT", String.valueOf(httpPort));
            env.put("GRPC_PORT", String.valueOf(grpcPort));
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", console.url());
            env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            env.put("MMF_TRACE_SAMPLE_RATE", "1.0");
            env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
            env.put("OTEL_BLRP_SCHEDULE_DELAY", "200");
            Service service = new Service(name, httpPort, grpcPort, pb.start(), log);
            try {
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            assertThat(service.process.isAlive())
                                    .as(name + " exited:\n" + tail(log, 40))
                                    .isTrue();
                            return service.get("/health/ready").status() == 200;
                        });
            } catch (RuntimeException | AssertionError e) {
                service.close();
                throw e;
            }
            return service;
        }

        URI http(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + path);
        }

        /** GETs {@code path}: status 0 and no body while nothing answers. */
        Reply get(String path) {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(http(path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Reply(r.statusCode(), r.body());
            } catch (IOException e) {
                return new Reply(0, "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * After a call with {@code correlationId}: RED metrics of the route, ready, and at the console
         * one trace of at least three spans (server, outgoing client call, its server side) with that
         * correlation id, plus its log records.
         */
        void assertReports(String correlationId, String route) throws Exception {
            assertThat(get("/health/ready").status()).isEqualTo(200);
            assertThat(get("/metrics").body().lines())
                    .as("/metrics of " + name)
                    .anyMatch(l -> l.startsWith("mmf_requests_total{") && l.contains(route));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode corr = ConsoleApi.get(console, "/api/correlations/" + correlationId);
                assertThat(corr.get("services")).extracting(JsonNode::asText).containsExactly(name);
                assertThat(corr.get("spanCount").asInt()).isGreaterThanOrEqualTo(3);
                assertThat(corr.get("traces")).hasSize(1);
                assertThat(corr.get("logCount").asInt()).isPositive();
            });
            assertThat(Files.readString(log))
                    .as("JSON log lines on stdout")
                    .contains("\"correlation_id\":\"" + correlationId + "\"");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the shutdown hook closes the servers and flushes telemetry
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private record Reply(int status, String body) {}

    /** Raw protobuf bytes in and out: the test needs no generated stubs. */
    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
