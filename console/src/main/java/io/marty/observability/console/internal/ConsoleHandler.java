package io.marty.observability.console.internal;

import io.marty.observability.console.ConsolePanels;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes the console's requests: OTLP under {@code /v1/}, the JSON API under {@code /api/}, the UI
 * elsewhere. Without an access token it answers only requests addressed to a loopback or allowed
 * host name, so a web page on another origin cannot reach it through DNS rebinding.
 */
public final class ConsoleHandler extends Handler.Abstract {
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    /** How long an OTLP request waits for room in the ingest budget before a 503. */
    private static final long INGEST_WAIT_MILLIS = 10_000;

    /** One kind of request. */
    interface Route {
        void handle(Exchange ex) throws IOException;
    }

    private final Map<String, Route> otlp;
    private final Route api;
    private final Route ui;
    private final Set<String> allowedHosts;
    private final PanelHistory history;
    private final List<OtlpReceiver> receivers;
    private final OtlpReceiver.ReceiverStats stats;
    private final IngestGate gate;
    private final byte[] token;
    private final IngestLimits limits;

    /**
     * @param allowedHosts host names (lower case, IPv6 in brackets) accepted besides loopback ones,
     *     or null to accept any (when a token protects the console)
     */
    public ConsoleHandler(
            TelemetryStore store,
            List<ConsolePanels.TelemetryListener> listeners,
            byte[] token,
            ConsolePanels.SloSource sloSource,
            ConsolePanels.AlertSource alertSource,
            IngestLimits limits,
            Set<String> allowedHosts) {
        this.stats = new OtlpReceiver.ReceiverStats();
        this.gate = new IngestGate(2L * limits.maxRequestBytes(), INGEST_WAIT_MILLIS);
        this.token = token;
        this.limits = limits;
        OtlpReceiver traces =
                new OtlpReceiver(OtlpReceiver.Signal.TRACES, store, listeners, token, limits, gate, stats);
        OtlpReceiver logs = new OtlpReceiver(OtlpReceiver.Signal.LOGS, store, listeners, token, limits, gate, stats);
        OtlpReceiver metrics =
                new OtlpReceiver(OtlpReceiver.Signal.METRICS, store, listeners, token, limits, gate, stats);
        this.receivers = List.of(traces, logs, metrics);
        this.otlp = Map.of("/v1/traces", traces, "/v1/logs", logs, "/v1/metrics", metrics);
        this.history = new PanelHistory(sloSource, alertSource);
        this.api = new ApiHandler(store, token, sloSource, alertSource, stats, history);
        this.ui = new StaticHandler(token);
        this.allowedHosts = allowedHosts == null ? null : Set.copyOf(allowedHosts);
    }

    /**
     * Starts an OTLP/gRPC receiver that stores into the same stores with the same limits, ingest
     * budget, token and counters as this handler's OTLP/HTTP endpoints.
     */
    public OtlpGrpcReceiver startGrpc(InetAddress bind, int port, int workers) {
        return OtlpGrpcReceiver.start(bind, port, receivers, gate, stats, token, limits.maxRequestBytes(), workers);
    }

    /** Samples the SLO and alert sources for the panels' charts (called every few seconds). */
    public void samplePanels() {
        history.sample(System.currentTimeMillis());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response);
        try {
            String host = ex.header("Host");
            if (!hostAllowed(host)) {
                HttpSupport.sendText(
                        ex,
                        403,
                        "host '" + host + "' is not allowed: open the console as http://localhost:<port>/,"
                                + " or allow the name with --allowed-host (or set a token)");
            } else {
                String path = ex.path();
                Route route = otlp.get(path);
                if (route == null) {
                    route = path.startsWith("/api/") ? api : ui;
                }
                route.handle(ex);
            }
            callback.succeeded();
        } catch (Throwable e) {
            callback.failed(e); // Jetty answers 500 if nothing was sent yet
        }
        return true;
    }

    private boolean hostAllowed(String hostHeader) {
        if (allowedHosts == null || hostHeader == null) {
            return true; // browsers always send Host; only they can be rebound
        }
        String host = hostName(hostHeader);
        return host.equals("localhost")
                || host.equals("[::1]")
                || LOOPBACK_V4.matcher(host).matches()
                || allowedHosts.contains(host);
    }

    /** The Host header without its port, in lower case ({@code [::1]:4318} → {@code [::1]}). */
    static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
