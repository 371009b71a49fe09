package io.marty.observability.console;

import io.marty.observability.console.internal.ConsoleHandler;
import io.marty.observability.console.internal.IngestLimits;
import io.marty.observability.console.internal.OtlpGrpcReceiver;
import io.marty.observability.console.internal.TelemetryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;

/**
 * The local Marty console: an OTLP/HTTP receiver ({@code /v1/traces}, {@code /v1/logs},
 * {@code /v1/metrics}; protobuf or JSON), optionally an OTLP/gRPC one ({@link Builder#grpcPort}),
 * with bounded in-memory stores, a JSON API under {@code /api/} and a web UI at {@code /} (tables,
 * charts over time and a service map).
 *
 * <pre>{@code
 * try (ConsoleServer console = ConsoleServer.builder().port(4318).build().start()) {
 *     System.out.println("console at " + console.url());
 *     // point any OTel SDK at it: OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
 * }
 * }</pre>
 *
 * <p>It binds 127.0.0.1 by default and then answers only requests addressed to a loopback host name
 * (or one allowed with {@link Builder#allowedHost}). Binding any other address requires an access
 * token, which clients then send as {@code Authorization: Bearer <token>} (browsers open
 * {@code /?token=...} once, which sets a cookie).
 *
 * <p>It runs on Jetty: waiting for a request's headers holds no thread, idle and partial connections
 * are closed after the idle timeout, OTLP bodies arriving below 16 KiB/s are cut off, the number
 * of connections is capped, and every connection can get a worker thread, so slow clients cannot
 * starve the others.
 */
public final class ConsoleServer implements AutoCloseable {
    /** Default OTLP/HTTP port. */
    public static final int DEFAULT_PORT = 4318;
    /** Characters kept of names, attribute keys, units and status messages. */
    private static final int MAX_NAME_CHARS = 1024;
    /** Span events kept per span (the OpenTelemetry SDK's default). */
    private static final int MAX_EVENTS_PER_SPAN = 128;
    /** Metric data points accepted from one request; the rest are rejected as partial success. */
    private static final int MAX_POINTS_PER_REQUEST = 50_000;
    /** How often the SLO and alert sources are sampled for their charts. */
    private static final long PANEL_SAMPLE_SECONDS = 5;
    /** Default OTLP/gRPC port (off unless {@link Builder#grpcPort} is set). */
    public static final int DEFAULT_GRPC_PORT = 4317;
    /** OTLP/gRPC calls decoded at once; more queue, bounded in bytes by the ingest budget. */
    private static final int GRPC_WORKERS = 4;

    private final int port;
    private final InetAddress bindAddress;
    private final String token;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final Set<String> allowedHosts;
    private final ConsolePanels.SloSource sloSource;
    private final ConsolePanels.AlertSource alertSource;
    private final List<ConsolePanels.TelemetryListener> listeners;
    private final IngestLimits limits;
    private final TelemetryStore store;
    private final int grpcPort;
    private Server server;
    private ServerConnector connector;
    private OtlpGrpcReceiver grpc;

    private ConsoleServer(Builder b) {
        this.port = b.port;
        this.grpcPort = b.grpcPort;
        this.bindAddress = b.bindAddress;
        this.token = b.token;
        this.maxConnections = b.maxConnections;
        this.idleTimeout = b.idleTimeout;
        this.allowedHosts = Set.copyOf(b.allowedHosts);
        this.sloSource = b.sloSource;
        this.alertSource = b.alertSource;
        this.listeners = List.copyOf(b.listeners);
        this.limits = new IngestLimits(
                b.maxRequestBytes,
                b.maxAttributes,
                b.maxAttributeValueLength,
                MAX_NAME_CHARS,
                MAX_EVENTS_PER_SPAN,
                MAX_POINTS_PER_REQUEST);
        this.store = new TelemetryStore(b.maxSpans, b.maxLogs, b.maxMetricPoints, b.maxStoreBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; returns this. */
    public synchronized ConsoleServer start() {
        if (server != null) {
            return this;
        }
        // every connection can have a worker (plus the acceptor and selector), so requests never
        // queue behind slow ones; threads are created on demand and retire when idle
        QueuedThreadPool pool = new QueuedThreadPool(maxConnections + 8, 2, 60_000);
        pool.setName("marty-console");
        pool.setDaemon(true);
        ScheduledExecutorScheduler timer = new ScheduledExecutorScheduler("marty-console-timer", true);
        Server s = new Server(pool, timer, null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector c = new ServerConnector(s, 1, 1, new HttpConnectionFactory(http));
        c.setHost(bindAddress.getHostAddress());
        c.setPort(port);
        c.setIdleTimeout(idleTimeout.toMillis());
        c.setAcceptedTcpNoDelay(true); // one write per response, but say so: no Nagle delay on keep-alive
        s.addConnector(c);
        s.addBean(new NetworkConnectionLimit(maxConnections, c));
        ConsoleHandler handler = new ConsoleHandler(
                store,
                listeners,
                token == null ? null : token.getBytes(StandardCharsets.UTF_8),
                sloSource,
                alertSource,
                limits,
                token == null ? hostNames() : null);
        s.setHandler(handler);
        s.setStopTimeout(1000);
        try {
            s.start();
        } catch (Exception e) {
            stopQuietly(s);
            String where = bindAddress.getHostAddress() + ":" + port;
            if (e instanceof IOException io) {
                throw new UncheckedIOException("console: cannot bind " + where + ": " + io.getMessage(), io);
            }
            throw new IllegalStateException("console: cannot start on " + where + ": " + e, e);
        }
        if (grpcPort >= 0) {
            try {
                grpc = handler.startGrpc(bindAddress, grpcPort, GRPC_WORKERS);
            } catch (RuntimeException e) {
                stopQuietly(s);
                throw e;
            }
        }
        server = s;
        connector = c;
        if (sloSource != null || alertSource != null) {
            samplePanels(timer, handler); // the SLO and alert charts need history even when no one looks
        }
        return this;
    }

    private static void samplePanels(ScheduledExecutorScheduler timer, ConsoleHandler handler) {
        timer.schedule(
                new Runnable() {
                    @Override
                    public void run() {
                        try {
                            handler.samplePanels();
                        } finally {
                            if (timer.isRunning()) {
                                timer.schedule(this, PANEL_SAMPLE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                            }
                        }
                    }
                },
                0,
                java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Host names accepted without a token: the bound address and the allowed hosts. */
    private Set<String> hostNames() {
        Set<String> names = new LinkedHashSet<>(allowedHosts);
        String bound = bindAddress.getHostAddress().toLowerCase(Locale.ROOT);
        names.add(bound.contains(":") ? "[" + bound + "]" : bound);
        return names;
    }

    /** The bound OTLP/gRPC port, or -1 when the gRPC receiver is off. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Base URL of the UI and of the OTLP endpoint, e.g. {@code http://127.0.0.1:4318}. */
    public String url() {
        String host = bindAddress.isAnyLocalAddress() ? "127.0.0.1" : bindAddress.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    /** True when bound beyond loopback, where the token crosses the network in clear text. */
    public boolean exposed() {
        return !bindAddress.isLoopbackAddress();
    }

    /** Current store counts, capacities and evictions (what {@code /api/stats} reports). */
    public Map<String, Object> stats() {
        return store.stats();
    }

    /** Stops the server, waiting at most one second for in-flight requests. */
    @Override
    public synchronized void close() {
        if (grpc != null) {
            grpc.close();
            grpc = null;
        }
        if (server != null) {
            stopQuietly(server);
            server = null;
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            // stopping is best effort: the threads are daemons and the port is released on exit
        }
    }

    /**
     * Console settings; {@link #build()} validates them and fails naming the bad setting. The built
     * server copies them, so changing the builder afterwards does not affect it.
     */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private int grpcPort = -1;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private String token;
        private int maxSpans = 50_000;
        private int maxLogs = 50_000;
        private int maxMetricPoints = 100_000;
        private int maxRequestBytes = 8 * 1024 * 1024;
        private long maxStoreBytes = 256L * 1024 * 1024;
        private int maxAttributes = 128;
        private int maxAttributeValueLength = 8192;
        private int maxConnections = 64;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private ConsolePanels.SloSource sloSource;
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

        /**
         * Also receive OTLP over gRPC on this port ({@link #DEFAULT_GRPC_PORT} is the OTLP default; 0
         * picks a free port, -1, the default, turns it off). Same address, limits, ingest budget and
         * token as OTLP/HTTP; gzip-compressed messages are accepted.
         */
        public Builder grpcPort(int grpcPort) {
            if (grpcPort < -1 || grpcPort > 65535) {
                throw new IllegalArgumentException("console grpcPort must be -1 (off) or 0..65535, got " + grpcPort);
            }
            this.grpcPort = grpcPort;
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

        /**
         * Token that every request must carry; required when binding a non-loopback address. Null (the
         * default) turns the check off.
         */
        public Builder accessToken(@Nullable String token) {
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

        /**
         * Estimated bytes all stores may hold together, default 256 MiB: 3/8 for spans, 3/8 for logs,
         * 1/4 for metric points; the oldest records are evicted first.
         */
        public Builder maxStoreBytes(long n) {
            if (n < 1024 * 1024) {
                throw new IllegalArgumentException("console maxStoreBytes must be >= 1048576 (1 MiB), got " + n);
            }
            this.maxStoreBytes = n;
            return this;
        }

        /**
         * Attributes kept per span, span event, log record and data point, default 128 (as the
         * OpenTelemetry SDK's limits); the rest are dropped and counted in {@code /api/stats}.
         */
        public Builder maxAttributes(int n) {
            this.maxAttributes = positive("maxAttributes", n);
            return this;
        }

        /** Characters kept of an attribute value or log body, default 8192; longer ones are clipped. */
        public Builder maxAttributeValueLength(int n) {
            this.maxAttributeValueLength = positive("maxAttributeValueLength", n);
            return this;
        }

        /** Open connections accepted at once, default 64; more wait in the accept queue. */
        public Builder maxConnections(int n) {
            this.maxConnections = positive("maxConnections", n);
            return this;
        }

        /**
         * How long a connection may stay silent (between requests, or while a request's headers or
         * body are still arriving) before it is closed, default 30 s.
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 1) {
                throw new IllegalArgumentException("console idleTimeout must be at least 1 ms, got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * A host name (as in the {@code Host} header, without the port) the console answers besides
         * {@code localhost}, {@code 127.x.x.x}, {@code [::1]} and the bound address; only checked when
         * no access token is set. Repeatable.
         */
        public Builder allowedHost(String host) {
            if (host == null || host.isBlank() || host.contains("/") || host.contains(" ")) {
                throw new IllegalArgumentException("console allowed host must be a host name, got '" + host + "'");
            }
            String h = host.trim().toLowerCase(Locale.ROOT);
            this.allowedHosts.add(h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h);
            return this;
        }

        /** Lights up the SLO panel. */
        public Builder sloSource(ConsolePanels.SloSource source) {
            this.sloSource = source;
            return this;
        }

        /** Lights up the alerts panel. */
        public Builder alertSource(ConsolePanels.AlertSource source) {
            this.alertSource = source;
            return this;
        }

        /** Receives every stored batch (e.g. to feed an SLO tracker or a log analyser); repeatable. */
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
