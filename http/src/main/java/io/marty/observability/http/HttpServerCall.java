package io.marty.observability.http;

import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.http.internal.ServerExchange;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One instrumented server request for integrations of server APIs this module has no filter for
 * (Spring WebFlux, Vert.x, …): the same extraction, span, RED metrics and access log as {@link
 * MartyServletFilter}. Start it, make its context current while the handler runs (or hand {@link
 * #context()} to the framework's own context mechanism), then {@link #end} it exactly once.
 *
 * <pre>{@code
 * HttpServerCall call = HttpServerCall.start(telemetry, request, getter,
 *     new HttpServerCall.Request("GET", "/orders/7", "http", "127.0.0.1", 8080, peer, agent, "1.1"));
 * if (call == null) { serveUninstrumented(); return; }
 * try (Scope ignored = call.makeCurrent()) { serve(); call.end(200, null); }
 * }</pre>
 */
public final class HttpServerCall {

    /** Status to pass to {@link #end} when the client went away before a response was sent. */
    public static final int CLIENT_CLOSED_REQUEST = ServerExchange.CLIENT_CLOSED_REQUEST;

    private final ServerExchange exchange;

    private HttpServerCall(ServerExchange exchange) {
        this.exchange = exchange;
    }

    /** What the server API knows about the request; empty strings and port 0 for unknown values. */
    public record Request(
            String method,
            String path,
            String scheme,
            String serverAddress,
            int serverPort,
            String clientAddress,
            String userAgent,
            String protocolVersion)
            implements ServerExchange.RequestInfo {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Extracts W3C and {@code X-MMF-*} context from {@code carrier}, opens the server span and
     * starts the RED timer.
     *
     * @return the call, or {@code null} when the path is excluded or the instrumentation failed
     *     (counted): serve the request uninstrumented then
     */
    public static <C> @Nullable HttpServerCall start(
            HttpServerTelemetry telemetry, C carrier, TextMapGetter<C> getter, Request request) {
        if (telemetry.isExcluded(request.path())) {
            return null;
        }
        ServerExchange exchange = ServerExchange.start(telemetry, carrier, getter, request);
        return exchange == null ? null : new HttpServerCall(exchange);
    }

    /** The request context: server span and correlation. */
    public Context context() {
        return exchange.context();
    }

    /** Makes {@link #context()} current (and so the MDC view) until the scope is closed. */
    public Scope makeCurrent() {
        return exchange.makeCurrent();
    }

    /** Correlation of this hop, for the {@code X-MMF-Correlation-ID}/{@code X-MMF-Request-ID} echo. */
    public CorrelationContext correlation() {
        return exchange.correlation();
    }

    /** Whether {@code failure} is a client disconnect (then end with {@link #CLIENT_CLOSED_REQUEST}). */
    public static boolean isClientAbort(Throwable failure) {
        return ServerExchange.isClientAbort(failure);
    }

    /** Ends the call once (later calls do nothing): span status, RED metrics, access log. */
    public void end(int status, @Nullable Throwable error) {
        exchange.end(status, error);
    }
}
