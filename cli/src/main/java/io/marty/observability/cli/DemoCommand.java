package io.marty.observability.cli;

import io.marty.observability.console.ConsoleServer;
import io.marty.observability.demo.OrderEvents;
import io.marty.observability.demo.traffic.DemoRequest;
import io.marty.observability.demo.traffic.Fault;
import io.marty.observability.demo.traffic.FaultSchedule;
import io.marty.observability.demo.traffic.HttpTarget;
import io.marty.observability.demo.traffic.SimulatedShop;
import io.marty.observability.demo.traffic.Target;
import io.marty.observability.demo.traffic.TrafficGenerator;
import io.marty.observability.kafkabroker.KafkaBroker;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.loganalysis.RuleSet;
import io.marty.observability.slo.DefaultSlos;
import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloTracker;
import io.marty.observability.spec.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code marty demo}: starts the console, the demo shop and the traffic generator with scheduled
 * faults in this JVM, prints where to look, and stops everything on Ctrl-C or after
 * {@code --duration}.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the local console, the demo services and a traffic generator with scheduled faults",
            "(error burst, latency spike, brute-force logins, revenue drop); prints what to look at."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            defaultValue = "4318",
            description = "Console port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(
            names = "--grpc-port",
            defaultValue = "4317",
            description = "Console OTLP/gRPC port (default ${DEFAULT-VALUE}; 0 = any free port, -1 = off).")
    int grpcPort;

    @Option(
            names = "--duration",
            defaultValue = "0",
            description = "Stop after this long, e.g. 60s, 5m, PT2M (default: run until Ctrl-C).")
    String duration;

    @Option(names = "--rate", defaultValue = "20", description = "Requests per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--no-faults", description = "Generate healthy traffic only.")
    boolean noFaults;

    @Option(
            names = "--simulated",
            description = "Simulate the three services in-process instead of starting them as child JVMs"
                    + " (lighter; also the fallback when they cannot start).")
    boolean simulated;

    @Option(
            names = "--with-kafka",
            description = "Also start a single-node Kafka broker (child JVM): order-service publishes each paid"
                    + " order to '" + OrderEvents.TOPIC + "', payment-service consumes it (messaging spans in"
                    + " the correlation timeline).")
    boolean withKafka;

    @Option(
            names = "--jdbc-url",
            description = "Database of the order service, e.g. jdbc:postgresql://127.0.0.1:5432/shop?user=me"
                    + " (default: H2 in memory).")
    String jdbcUrl;

    @Option(
            names = "--redis-url",
            description = "Redis that caches the order service's orders, e.g. redis://127.0.0.1:6379.")
    String redisUrl;

    @Option(
            names = "--status-every",
            defaultValue = "15s",
            description = "Progress line interval (default ${DEFAULT-VALUE}).")
    String statusEvery;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws InterruptedException {
        Duration runFor;
        Duration statusInterval;
        try {
            runFor = parseDuration("--duration", duration);
            statusInterval = parseDuration("--status-every", statusEvery);
            if (statusInterval.isZero()) {
                statusInterval = Duration.ofSeconds(15);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("marty demo: " + e.getMessage());
            return 2;
        }
        // SLF4J's informational start-up notes would interleave with the demo's progress lines
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        out.println("marty demo: starting (Ctrl-C stops everything)");
        List<Slo> slos = new ArrayList<>();
        for (String service : SERVICES) {
            slos.addAll(DefaultSlos.forService(service));
        }
        SloTracker tracker = SloTracker.builder().slos(slos).build();
        LogAnalyzer analyzer = LogAnalyzer.builder()
                .rules(demoRules())
                .addListener(a -> out.println("  [alert] " + a.severity().label() + " " + a.rule()
                        + (a.service() == null ? "" : " (" + a.service() + ")") + ": " + a.summary()))
                .build();
        ConsoleAnalysis analysis = new ConsoleAnalysis(tracker, analyzer);
        ConsoleCommand.quietServerLogs();
        ConsoleServer console;
        try {
            console = startConsole(analysis);
        } catch (RuntimeException e) {
            System.err.println("marty demo: " + e.getMessage());
            analysis.close();
            analyzer.close();
            return 2;
        }
        out.println("  [1/3] console      " + console.url() + "  (OTLP/HTTP receiver + web UI, " + slos.size()
                + " SLOs tracked, log analysis on)"
                + (console.grpcPort() > 0
                        ? "\n                     OTLP/gRPC " + ConsoleCommand.grpcUrl(console)
                        : ""));

        Target target;
        AutoCloseable services;
        DemoProcesses processes = null;
        KafkaBroker broker = null;
        if (withKafka && simulated) {
            out.println("  (--with-kafka needs the real services: ignored with --simulated)");
        }
        if (!simulated) {
            broker = withKafka ? startKafka() : null;
            out.println("  [2/3] services     starting gateway, order-service, payment-service as child JVMs...");
            try {
                processes = DemoProcesses.start(
                        console.url(),
                        Duration.ofSeconds(90),
                        broker == null ? null : broker.bootstrapServers(),
                        orderServiceSettings());
            } catch (IOException e) {
                out.println("        could not start them (" + e.getMessage() + "); simulating them instead");
                if (broker != null) {
                    broker.close();
                    broker = null;
                }
            }
        }
        if (processes != null) {
            target = new HttpTarget(processes.gatewayUri());
            warmUp(target);
            DemoProcesses started = processes;
            KafkaBroker kafka = broker;
            services = kafka == null
                    ? started
                    : () -> {
                        try {
                            started.close();
                        } finally {
                            kafka.close(); // after the services, so the consumer leaves its group cleanly
                        }
                    };
            out.println("        gateway " + processes.gatewayUri() + " (HTTP) -> order-service (HTTP+gRPC)"
                    + " -> payment-service (gRPC); their logs: " + processes.logDir());
        } else {
            SimulatedShop shop = new SimulatedShop(console.url(), Duration.ofSeconds(5));
            target = shop;
            services = shop;
            out.println("  [2/3] services     " + String.join(", ", shop.serviceNames())
                    + " (simulated in-process: OTel SDK per service, OTLP/HTTP to the console)");
        }

        FaultSchedule schedule = noFaults ? FaultSchedule.none() : FaultSchedule.demo();
        TrafficGenerator traffic = TrafficGenerator.builder(target)
                .requestsPerSecond(rate)
                .schedule(schedule)
                .duration(runFor)
                .onPhaseChange(line -> out.println("  " + line))
                .build();
        out.printf(
                Locale.ROOT,
                "  [3/3] traffic      %.0f req/s%s%n",
                rate,
                noFaults ? ", no faults" : scheduleText(schedule));
        printGuide(console.url(), processes == null);

        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println();
            out.println("marty demo: stopping...");
            stop(traffic, services, console, analysis, analyzer);
            done.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        traffic.start();
        long started = System.nanoTime();
        while (!traffic.awaitCompletion(statusInterval)) {
            status(started, traffic, console, tracker);
        }
        if (!runFor.isZero()) {
            status(started, traffic, console, tracker);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                done.await(30, TimeUnit.SECONDS); // already shutting down: the hook stops everything
                return 0;
            }
            out.println("marty demo: --duration " + duration + " reached, stopping");
            stop(traffic, services, console, analysis, analyzer);
        }
        return 0;
    }

    /** {@code ORDERS_JDBC_URL} / {@code ORDERS_REDIS_URL} for the order service, from the options given. */
    private Map<String, String> orderServiceSettings() {
        Map<String, String> settings = new java.util.HashMap<>();
        if (jdbcUrl != null && !jdbcUrl.isBlank()) {
            settings.put("ORDERS_JDBC_URL", jdbcUrl.trim());
        }
        if (redisUrl != null && !redisUrl.isBlank()) {
            settings.put("ORDERS_REDIS_URL", redisUrl.trim());
        }
        return settings;
    }

    /** A few sequential requests so class loading and connection setup do not look like a latency fault. */
    private static void warmUp(Target target) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < 30 && System.nanoTime() < deadline; i++) {
            for (DemoRequest.Kind kind : DemoRequest.Kind.values()) {
                try {
                    target.send(new DemoRequest(kind, "warmup", "127.0.0.1", 1000, "correct-horse", false, 0));
                } catch (Exception e) {
                    // the traffic generator reports failures; warm-up is best effort
                }
            }
        }
    }

    /** The broker for {@code --with-kafka} with the order topic, or {@code null} (said why) when it cannot start. */
    private KafkaBroker startKafka() {
        out.println("  [2/3] kafka        starting a single-node broker (KRaft, child JVM)...");
        // the admin client that waits for the broker would print its configuration and DEBUG chatter here
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger kafka
                && kafka.getLevel() == null) {
            kafka.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        KafkaBroker broker = null;
        try {
            broker = KafkaBroker.builder().startTimeout(Duration.ofSeconds(90)).start();
            broker.createTopics(OrderEvents.TOPIC);
            out.println("        broker " + broker.bootstrapServers() + ": order-service publishes each paid order to '"
                    + OrderEvents.TOPIC + "', payment-service consumes it");
            return broker;
        } catch (IOException | RuntimeException e) {
            out.println("        could not start it (" + e.getMessage() + "); going on without Kafka");
            if (broker != null) {
                broker.close();
            }
            return null;
        }
    }

    static final List<String> SERVICES = List.of("gateway", "order-service", "payment-service");

    private ConsoleServer startConsole(ConsoleAnalysis analysis) {
        try {
            return analysis.wire(ConsoleServer.builder())
                    .port(port)
                    .grpcPort(grpcPort)
                    .build()
                    .start();
        } catch (UncheckedIOException e) {
            if (port == 0 && grpcPort <= 0) {
                throw e;
            }
            out.println("  (port " + port + " or " + grpcPort
                    + " is busy, using free ports instead; --port and --grpc-port choose them)");
            return analysis.wire(ConsoleServer.builder())
                    .port(0)
                    .grpcPort(grpcPort < 0 ? -1 : 0)
                    .build()
                    .start();
        }
    }

    /** The default detectors with windows shortened to the demo's two-minute fault cycle. */
    static RuleSet demoRules() {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo-log-rules.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource demo-log-rules.yaml");
            }
            return RuleSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stop(
            TrafficGenerator traffic,
            AutoCloseable services,
            ConsoleServer console,
            ConsoleAnalysis analysis,
            LogAnalyzer analyzer) {
        traffic.close();
        try {
            services.close(); // the services flush their last spans/logs/metrics into the console
        } catch (Exception e) {
            System.err.println("marty demo: stopping the services: " + e);
        }
        console.close();
        analysis.close();
        analyzer.close();
    }

    private void status(long startedNanos, TrafficGenerator traffic, ConsoleServer console, SloTracker tracker) {
        long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
        Map<String, Object> s = console.stats();
        out.printf(
                Locale.ROOT,
                "  [%4ds] traffic %s | console: %s spans, %s logs, %s metric points%s%s%n",
                secs,
                traffic.stats(),
                count(s, "spans"),
                count(s, "logs"),
                count(s, "metricPoints"),
                traffic.activeFaults().isEmpty() ? "" : " | active: " + traffic.activeFaults(),
                burning(tracker));
    }

    /** How many SLOs are in each non-ok state, e.g. " | SLOs: exhausted=2 page=1". */
    private static String burning(SloTracker tracker) {
        java.util.Map<String, Integer> byState = new java.util.TreeMap<>();
        for (io.marty.observability.slo.SloStatus s : tracker.statuses()) {
            if (!"ok".equals(s.state())) {
                byState.merge(s.state(), 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        byState.forEach((state, n) -> b.append(b.length() == 0 ? " | SLOs: " : " ")
                .append(state)
                .append('=')
                .append(n));
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Object count(Map<String, Object> stats, String store) {
        return ((Map<String, Object>) stats.get(store)).get("count");
    }

    private static String scheduleText(FaultSchedule s) {
        StringBuilder b = new StringBuilder(", faults every " + s.cycle().toSeconds() + " s:");
        for (FaultSchedule.Window w : s.windows()) {
            b.append(' ')
                    .append(w.fault())
                    .append(" @")
                    .append(w.start().toSeconds())
                    .append('s');
        }
        return b.toString();
    }

    private void printGuide(String url, boolean simulatedServices) {
        out.println();
        out.println("Open " + url + "/ and look at:");
        out.println("  Services     RED per service and route (rate, error %, p50/p95/p99) from server spans");
        out.println("  Logs         filter level=ERROR during " + Fault.ERROR_BURST
                + "; click a correlation id -> the correlation timeline");
        out.println("               (gateway, order and payment spans + logs"
                + (simulatedServices ? "" : ", the order service's SQL and Redis spans")
                + "), then a span -> the trace waterfall");
        out.println("  Traces       status=error, or min duration 500 ms during " + Fault.LATENCY_SPIKE);
        if (simulatedServices) {
            out.println("  Metrics      mmf_request_duration_seconds exemplars link to traces;"
                    + " mmf_business_revenue_cents_total drops during " + Fault.REVENUE_DROP);
        }
        out.println("  SLOs/Alerts  error-budget burn and log alerts as the faults hit");
        out.println("Send your own app's telemetry too: OTEL_EXPORTER_OTLP_ENDPOINT=" + url);
        out.println();
    }

    /**
     * Accepts whole seconds ({@code 90}) or the spec duration grammar ({@code 90s}, {@code 5m}, {@code 1h30m},
     * {@code 500ms}, ISO-8601 {@code PT2M}; see {@link Durations}).
     */
    static Duration parseDuration(String option, String text) {
        String t = text.trim();
        try {
            boolean seconds = !t.isEmpty() && t.chars().allMatch(c -> c >= '0' && c <= '9');
            return seconds ? Duration.ofSeconds(Long.parseLong(t)) : Durations.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
