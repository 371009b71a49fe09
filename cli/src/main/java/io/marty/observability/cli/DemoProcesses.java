package io.marty.observability.cli;

import io.marty.observability.demo.OrderEvents;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The demo's three services as child JVMs (one {@code service.name} each), started from this
 * process's own classpath with {@code DemoProcess} and exporting OTLP to the console. Output goes
 * to log files; children also exit when this process dies (their stdin closes).
 */
final class DemoProcesses implements AutoCloseable {
    private static final String MAIN = "io.marty.observability.demo.traffic.DemoProcess";

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();
    private final Path logDir;
    private final @Nullable String kafkaBootstrap;
    private URI gateway;

    private DemoProcesses(Path logDir, @Nullable String kafkaBootstrap) {
        this.logDir = logDir;
        this.kafkaBootstrap = kafkaBootstrap;
    }

    URI gatewayUri() {
        return gateway;
    }

    Path logDir() {
        return logDir;
    }

    /** Starts payment, order service and gateway; waits until all print READY or fails naming the culprit. */
    static DemoProcesses start(String otlpEndpoint, Duration timeout) throws IOException, InterruptedException {
        return start(otlpEndpoint, timeout, null, Map.of());
    }

    /**
     * As above; with {@code kafkaBootstrap} the order service publishes paid orders to Kafka and the
     * payment service consumes them ({@code OrderEvents}, {@code FulfillmentConsumer}).
     */
    static DemoProcesses start(String otlpEndpoint, Duration timeout, String kafkaBootstrap)
            throws IOException, InterruptedException {
        return start(otlpEndpoint, timeout, kafkaBootstrap, Map.of());
    }

    /**
     * As above, with an optional Kafka broker ({@code null}: none) and extra environment settings for the
     * order service (its database, cache).
     */
    static DemoProcesses start(
            String otlpEndpoint,
            Duration timeout,
            @Nullable String kafkaBootstrap,
            Map<String, String> orderServiceSettings)
            throws IOException, InterruptedException {
        DemoProcesses p = new DemoProcesses(Files.createTempDirectory("marty-demo-"), kafkaBootstrap);
        try {
            int[] ports = freePorts(5);
            int payGrpc = ports[0];
            int payHttp = ports[1];
            int ordHttp = ports[2];
            int ordGrpc = ports[3];
            int gwHttp = ports[4];
            p.launch(otlpEndpoint, "payment-service", "payment", Map.of(), payGrpc, payHttp);
            p.launch(otlpEndpoint, "order-service", "orders", orderServiceSettings, ordHttp, ordGrpc, payGrpc, payHttp);
            p.launch(otlpEndpoint, "gateway", "gateway", Map.of(), gwHttp, ordHttp, ordGrpc);
            p.awaitReady(timeout);
            p.gateway = URI.create("http://127.0.0.1:" + gwHttp + "/");
            return p;
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void launch(String otlpEndpoint, String name, String role, Map<String, String> settings, int... ports)
            throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=io/marty/observability/demo/traffic/logback-demo.xml",
                "-cp",
                classpath(),
                MAIN,
                role));
        for (int port : ports) {
            cmd.add(Integer.toString(port));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        // the parent's own OTel/MMF settings must not leak into the demo services
        env.keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MMF_"));
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("MMF_ENVIRONMENT", "development");
        env.put("MMF_TRACE_SAMPLE_RATE", "1.0"); // every request visible in the console
        env.put("MMF_SERVICE_VERSION", "1.0.0");
        // push the RED metrics over OTLP too, so the console's Metrics view and exemplar links fill
        env.put("MMF_OTLP_METRICS", "true");
        env.put("OTEL_METRIC_EXPORT_INTERVAL", "5000");
        env.put("MARTY_LOG_FILE", logDir.resolve(name + ".json").toString());
        if (kafkaBootstrap != null) {
            env.put(OrderEvents.BOOTSTRAP_SETTING, kafkaBootstrap);
        }
        env.putAll(settings);
        Path out = logDir.resolve(name + ".out");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        outputs.add(out);
        processes.add(pb.start());
    }

    private static String classpath() {
        StringBuilder b = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                b.append(b.length() == 0 ? "" : java.io.File.pathSeparator)
                        .append(Paths.get(entry).toAbsolutePath());
            }
        }
        return b.toString();
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean[] ready = new boolean[processes.size()];
        int readyCount = 0;
        while (readyCount < processes.size()) {
            for (int i = 0; i < processes.size(); i++) {
                if (ready[i]) {
                    continue;
                }
                String text = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
                if (text.contains("READY ")) {
                    ready[i] = true;
                    readyCount++;
                } else if (!processes.get(i).isAlive()) {
                    throw new IOException(outputs.get(i).getFileName() + " exited with "
                            + processes.get(i).exitValue() + ": " + tail(text));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "demo services not ready after " + timeout.toSeconds() + " s (see " + logDir + ")");
            }
            Thread.sleep(200);
        }
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 600 ? t : "..." + t.substring(t.length() - 600);
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    /** SIGTERM to each child (its shutdown hook flushes telemetry), then waits up to 10 s each. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
