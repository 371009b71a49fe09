package io.marty.observability.cli;

import io.marty.observability.console.ConsoleServer;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.loganalysis.RuleSet;
import io.marty.observability.slo.SloLoader;
import io.marty.observability.slo.SloTracker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code marty console}: the local console alone, as an OTLP/HTTP sink with a web UI. */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = {
            "Run the local console alone as an OTLP sink with a web UI.",
            "Point any OpenTelemetry SDK or Collector at it: OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318"
        })
final class ConsoleCommand implements Callable<Integer> {
    /** Printed when bound beyond loopback: the console speaks plain HTTP. */
    static final String CLEAR_TEXT_WARNING =
            "  WARNING:   bound beyond loopback over plain HTTP: the token and all telemetry travel"
                    + " in clear text unless a TLS proxy is in front";

    @Option(names = "--port", defaultValue = "4318", description = "OTLP/HTTP and UI port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--grpc-port",
            defaultValue = "4317",
            description = "OTLP/gRPC port (default ${DEFAULT-VALUE}; 0 = any free port, -1 = off).")
    int grpcPort;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}); any other address needs --token.")
    String bind;

    @Option(
            names = "--token",
            defaultValue = "${env:MARTY_CONSOLE_TOKEN}",
            description = "Access token required from every client (env MARTY_CONSOLE_TOKEN).")
    @Nullable
    String token;

    @Option(names = "--max-spans", defaultValue = "50000", description = "Spans kept (oldest evicted).")
    int maxSpans;

    @Option(names = "--max-logs", defaultValue = "50000", description = "Log records kept (oldest evicted).")
    int maxLogs;

    @Option(
            names = "--max-metric-points",
            defaultValue = "100000",
            description = "Metric points kept (oldest evicted).")
    int maxMetricPoints;

    @Option(
            names = "--max-store-mb",
            defaultValue = "256",
            description =
                    "Estimated memory all stores may hold together, in MiB (oldest evicted; default ${DEFAULT-VALUE}).")
    long maxStoreMb;

    @Option(
            names = "--allowed-host",
            paramLabel = "HOST",
            description = {
                "Host name the console answers besides localhost, 127.x.x.x and [::1] when no token is set"
                        + " (e.g. a name in /etc/hosts); repeatable.",
                "Other Host headers get 403, so web pages cannot reach the console through DNS rebinding."
            })
    List<String> allowedHosts = List.of();

    @Option(
            names = "--slo",
            paramLabel = "FILE",
            description = "SLO definitions (OpenSLO or native YAML) to track from received server spans; repeatable.")
    List<Path> sloFiles = List.of();

    @Option(
            names = "--log-rules",
            paramLabel = "FILE",
            description = "Log-analysis rules YAML (default: the built-in rules).")
    @Nullable
    Path logRules;

    @Option(names = "--no-log-analysis", description = "Do not run the log analyzer on received logs.")
    boolean noLogAnalysis;

    @Override
    public Integer call() throws InterruptedException {
        ConsoleServer console;
        LogAnalyzer analyzer = null;
        ConsoleAnalysis analysis = null;
        quietServerLogs();
        try {
            SloTracker tracker = sloFiles.isEmpty()
                    ? null
                    : SloTracker.builder().slos(SloLoader.load(sloFiles)).build();
            if (!noLogAnalysis) {
                analyzer = LogAnalyzer.builder()
                        .rules(logRules == null ? RuleSet.defaults() : RuleSet.load(logRules))
                        .build();
            }
            analysis = new ConsoleAnalysis(tracker, analyzer);
            ConsoleServer.Builder builder = analysis.wire(ConsoleServer.builder());
            allowedHosts.forEach(builder::allowedHost);
            console = builder.port(port)
                    .grpcPort(grpcPort)
                    .bind(bind)
                    .accessToken(token == null || token.isBlank() ? null : token)
                    .maxSpans(maxSpans)
                    .maxLogs(maxLogs)
                    .maxMetricPoints(maxMetricPoints)
                    .maxStoreBytes(maxStoreMb * 1024 * 1024)
                    .build()
                    .start();
        } catch (RuntimeException e) {
            System.err.println("marty console: " + e.getMessage());
            close(analysis, analyzer);
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ConsoleAnalysis runningAnalysis = analysis;
        LogAnalyzer runningAnalyzer = analyzer;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            close(runningAnalysis, runningAnalyzer);
            stopped.countDown();
        }));
        String ui = console.url() + (token == null || token.isBlank() ? "/" : "/?token=<your token>");
        System.out.println("Marty console listening");
        if (console.exposed()) {
            System.out.println(CLEAR_TEXT_WARNING);
        }
        System.out.println("  UI:        " + ui);
        System.out.println(
                "  OTLP/HTTP: " + console.url() + "/v1/traces | /v1/logs | /v1/metrics" + " (protobuf or JSON)");
        if (console.grpcPort() > 0) {
            System.out.println("  OTLP/gRPC: " + grpcUrl(console) + " (traces, logs, metrics; gzip)");
        }
        System.out.println("  Send data: OTEL_EXPORTER_OTLP_ENDPOINT=" + console.url()
                + " OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
                + (console.grpcPort() > 0 ? "  (or " + grpcUrl(console) + " with grpc)" : ""));
        System.out.println("  SLOs:      " + (sloFiles.isEmpty() ? "not enabled (--slo FILE)" : sloFiles));
        System.out.println("  Log rules: " + (noLogAnalysis ? "off" : logRules == null ? "built-in" : logRules));
        System.out.println("Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /** The OTLP/gRPC endpoint: the console's host with the gRPC port. */
    static String grpcUrl(ConsoleServer console) {
        String url = console.url();
        return url.substring(0, url.lastIndexOf(':')) + ":" + console.grpcPort();
    }

    /**
     * Jetty reports its start-up and every connection through SLF4J at DEBUG/INFO, which logback's
     * default configuration prints: the console's own lines say what matters.
     */
    static void quietServerLogs() {
        if (LoggerFactory.getLogger("org.eclipse.jetty") instanceof ch.qos.logback.classic.Logger jetty
                && jetty.getLevel() == null) {
            jetty.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void close(ConsoleAnalysis analysis, LogAnalyzer analyzer) {
        if (analysis != null) {
            analysis.close();
        }
        if (analyzer != null) {
            analyzer.close();
        }
    }
}
