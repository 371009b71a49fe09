package io.marty.observability.examples.quickstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.marty.observability.core.metrics.RequestTimer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The smallest service using only the core API: a JDK HttpServer with {@code GET /orders/{id}}
 * (correlation + trace context from headers, a server span, RED metrics) and {@code /metrics}.
 */
public final class QuickstartService implements AutoCloseable {
    private static final TextMapGetter<HttpExchange> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpExchange ex) {
            return ex.getRequestHeaders().keySet();
        }

        @Override
        public @Nullable String get(@Nullable HttpExchange ex, String key) {
            return ex == null ? null : ex.getRequestHeaders().getFirst(key); // case-insensitive
        }
    };

    private final HttpServer server;

    /** Starts on 127.0.0.1:{@code port} (0 = any free port) with the running MartyObservability. */
    public QuickstartService(MartyObservability obs, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/metrics", new MetricsHandler(obs.metrics().registry()));
        server.createContext("/orders/", ex -> handleOrder(obs, ex));
        server.start();
    }

    private static void handleOrder(MartyObservability obs, HttpExchange ex) throws IOException {
        Context parent =
                obs.openTelemetry().getPropagators().getTextMapPropagator().extract(Context.root(), ex, HEADERS);
        Span span = obs.tracing().startSpan("GET /orders/{id}", SpanKind.SERVER, Attributes.empty(), parent);
        RequestTimer timer = obs.metrics().red().start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}");
        int status = 500;
        try (Scope ignored = parent.with(span).makeCurrent()) {
            String id = ex.getRequestURI().getPath().substring("/orders/".length());
            status = isNumber(id) ? 200 : 404;
            byte[] body = (status == 200 ? "{\"id\":" + id + ",\"status\":\"shipped\"}" : "{\"error\":\"not found\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders()
                    .add(MmfHeaders.CORRELATION_ID, CorrelationContext.current().correlationId());
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        } finally {
            timer.end(String.valueOf(status), Outcome.ofHttpStatus(status));
            span.setAttribute("http.response.status_code", status);
            span.end();
            ex.close();
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
