package io.marty.observability.console;

import com.sun.net.httpserver.HttpServer;
import io.marty.observability.console.internal.AnalysisBridge;
import io.marty.observability.console.internal.ApiHandler;
import io.marty.observability.console.internal.OtlpReceiver;
import io.marty.observability.console.internal.StaticHandler;
import io.marty.observability.console.internal.TelemetryStore;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.slo.SloTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local Marty console: an OTLP/HTTP receiver ({@code /v1/traces}, {@code /v1/logs},
 * {@code /v1/metrics}; protobuf or JSON) with bounded in-memory stores, a JSON API under
 * {@code /api/} and a web UI at {@code /}.
 *
 * <pre>{@code
 * try (ConsoleServer console = ConsoleServer.builder().port(4318).build().start()) {
 *     System.out.println("console at " + console.url());
 *     // point any OTel SDK at it: OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
 * }
 * }</pre>
 *
 * <p>It binds 127.0.0.1 by default. Binding any other address requires an access token, which
 * clients then send as {@code Authorization: Bearer <token>} (browsers open {@code /?token=...}
 * once, which sets a cookie).
 */
public final class ConsoleServer implements AutoCloseable {
    /** Default OTLP/HTTP port. */
    public static final int DEFAULT_PORT = 4318;

    private final Builder config;
    private final TelemetryStore store;
    private HttpServer server;
    private ExecutorService executor;
    private AnalysisBridge analysis;

    private ConsoleServer(Builder b) {
        this.config = b;
        this.store = new TelemetryStore(b.maxSpans, b.maxLogs, b.maxMetricPoints);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; returns this. */
    public synchronized ConsoleServer start() {
        if (server != null) {
            return this;
        }
        byte[] token = config.token == null ? null : config.token.getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(config.bindAddress, config.port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "console: cannot bind " + config.bindAddress.getHostAddress() + ":" + config.port + ": "
                            + e.getMessage(),
                    e);
        }
        OtlpReceiver.ReceiverStats stats = new OtlpReceiver.ReceiverStats();
        List<ConsolePanels.TelemetryListener> all = new ArrayList<>(config.listeners);
        ConsolePanels.SloSource sloSource = config.sloSource;
        ConsolePanels.AlertSource alertSource = config.alertSource;
        if (config.sloTracker != null || config.logAnalyzer != null) {
            analysis = new AnalysisBridge(config.sloTracker, config.logAnalyzer);
            all.add(analysis);
            if (sloSource == null && analysis.hasSlos()) {
                sloSource = analysis;
            }
            if (alertSource == null) {
                alertSource = analysis;
            }
        }
        List<ConsolePanels.TelemetryListener> listeners = List.copyOf(all);
        for (OtlpReceiver.Signal s : OtlpReceiver.Signal.values()) {
            server.createContext(
                    "/v1/" + s.name().toLowerCase(java.util.Locale.ROOT),
                    new OtlpReceiver(s, store, listeners, token, config.maxRequestBytes, stats));
        }
        server.createContext("/api/", new ApiHandler(store, token, sloSource, alertSource, stats));
        server.createContext("/", new StaticHandler(token));
        AtomicInteger n = new AtomicInteger();
        // bounded: when all workers are busy the accepting thread runs the request itself (back-pressure)
        executor = new ThreadPoolExecutor(
                config.threads,
                config.threads,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(256),
                r -> {
                    Thread t = new Thread(r, "marty-console-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.start();
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URL of the UI and of the OTLP endpoint, e.g. {@code http://127.0.0.1:4318}. */
    public String url() {
        String host = config.bindAddress.isAnyLocalAddress() ? "127.0.0.1" : config.bindAddress.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    /** Current store counts, capacities and evictions (what {@code /api/stats} reports). */
    public Map<String, Object> stats() {
        return store.stats();
    }

    /** Stops the server, waiting at most one second for in-flight requests. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(1);
            executor.shutdownNow();
            if (analysis != null) {
                analysis.close();
            }
            server = null;
        }
    }

    /** Console settings; {@link #build()} validates them and fails naming the bad setting. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private String token;
        private int maxSpans = 50_000;
        private int maxLogs = 50_000;
        private int maxMetricPoints = 100_000;
        private int maxRequestBytes = 8 * 1024 * 1024;
        private int threads = 4;
        private ConsolePanels.SloSource sloSource;
        private SloTracker sloTracker;
        private LogAnalyzer logAnalyzer;
        private ConsolePanels.AlertSource alertSource;
        private final List<ConsolePanels.TelemetryListener> listeners = new ArrayList<>();

        private Builder() {}

        /** TCP port, default 4318; 0 picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("console port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Address to bind, default 127.0.0.1; anything but loopback requires {@link #accessToken}. */
        public Builder bind(String address) {
            try {
                this.bindAddress = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("console bind address is not resolvable: '" + address + "'", e);
            }
            return this;
        }

        /** Token that every request must carry; required when binding a non-loopback address. */
        public Builder accessToken(String token) {
            if (token != null && !token.matches("[A-Za-z0-9._~+/=-]{16,256}")) {
                throw new IllegalArgumentException(
                        "console access token must be 16-256 characters of [A-Za-z0-9._~+/=-]");
            }
            this.token = token;
            return this;
        }

        public Builder maxSpans(int n) {
            this.maxSpans = positive("maxSpans", n);
            return this;
        }

        public Builder maxLogs(int n) {
            this.maxLogs = positive("maxLogs", n);
            return this;
        }

        public Builder maxMetricPoints(int n) {
            this.maxMetricPoints = positive("maxMetricPoints", n);
            return this;
        }

        /** Largest accepted OTLP request body (after decompression), default 8 MiB; larger gets 413. */
        public Builder maxRequestBytes(int n) {
            this.maxRequestBytes = positive("maxRequestBytes", n);
            return this;
        }

        /** Worker threads, default 4. */
        public Builder threads(int n) {
            this.threads = positive("threads", n);
            return this;
        }

        /** Lights up the SLO panel. */
        public Builder sloSource(ConsolePanels.SloSource source) {
            this.sloSource = source;
            return this;
        }

        /**
         * Tracks SLOs from the server spans the console receives (RED events per service and
         * route); lights up the SLO panel and adds burn-rate alerts to the alert panel.
         */
        public Builder sloTracker(SloTracker tracker) {
            this.sloTracker = tracker;
            return this;
        }

        /**
         * Runs the received log records through a log analyser (error spikes, brute force, slow
         * requests, business drops...); its alerts appear in the alert panel.
         */
        public Builder logAnalyzer(LogAnalyzer analyzer) {
            this.logAnalyzer = analyzer;
            return this;
        }

        /** Lights up the alerts panel. */
        public Builder alertSource(ConsolePanels.AlertSource source) {
            this.alertSource = source;
            return this;
        }

        /** Receives every stored batch (e.g. to feed an SLO tracker or a log analyser). */
        public Builder listener(ConsolePanels.TelemetryListener listener) {
            this.listeners.add(listener);
            return this;
        }

        private static int positive(String key, int n) {
            if (n < 1) {
                throw new IllegalArgumentException("console " + key + " must be >= 1, got " + n);
            }
            return n;
        }

        public ConsoleServer build() {
            if (!bindAddress.isLoopbackAddress() && token == null) {
                throw new IllegalArgumentException("console bind address " + bindAddress.getHostAddress()
                        + " is not loopback: set an access token (--token) so others cannot read your telemetry");
            }
            return new ConsoleServer(this);
        }
    }
}
