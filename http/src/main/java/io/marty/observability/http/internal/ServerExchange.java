package io.marty.observability.http.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.marty.observability.core.metrics.RequestTimer;
import io.marty.observability.http.HttpServerTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrumented server request: extracted context, correlation ids, server span, RED timer and
 * the access log event. Created by the server filters; {@link #end} is idempotent and never throws.
 * Internal: not a stable API.
 */
public final class ServerExchange {

    /** Status recorded when the client went away before the response was complete (nginx's 499). */
    public static final int CLIENT_CLOSED_REQUEST = 499;

    /**
     * An I/O failure while writing to a client that went away (container-specific exception types, matched by
     * name). Lives here, not in the servlet filter, so that the JDK {@code HttpServer} filter never loads a
     * class that needs the servlet API, which is an optional dependency.
     */
    public static boolean isClientAbort(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.equals("EofException")
                    || name.equals("ClientAbortException")
                    || name.equals("ClosedChannelException")
                    || (t instanceof IOException && isResetMessage(t.getMessage()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isResetMessage(String message) {
        return message != null
                && (message.contains("Broken pipe")
                        || message.contains("Connection reset")
                        || message.equals("Closed"));
    }

    private static final String INSTRUMENTATION = "io.marty.observability.http";
    private static final LastValueCache<OpenTelemetry, Tracer> TRACERS = new LastValueCache<>();
    private static final Logger ACCESS = LoggerFactory.getLogger("mmf.access");
    private static final AtomicIntegerFieldUpdater<ServerExchange> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(ServerExchange.class, "ended");

    private static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
    private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final Context context;
    private final Span span;
    private final RequestTimer timer;
    private final CorrelationContext correlation;
    private final String method;
    private final String route;
    private final boolean accessLog;
    private final InstrumentationErrors errors;
    private volatile int ended;

    private ServerExchange(
            Context context,
            Span span,
            RequestTimer timer,
            CorrelationContext correlation,
            String method,
            String route,
            boolean accessLog,
            InstrumentationErrors errors) {
        this.context = context;
        this.span = span;
        this.timer = timer;
        this.correlation = correlation;
        this.method = method;
        this.route = route;
        this.accessLog = accessLog;
        this.errors = errors;
    }

    /**
     * Request facts the filters read from their server API. Method and path are read for every
     * request; the others only when the span records (is sampled).
     */
    public interface RequestInfo {
        String method();

        String path();

        String scheme();

        String serverAddress();

        int serverPort();

        String clientAddress();

        String userAgent();

        String protocolVersion();
    }

    /**
     * Starts the exchange: extracts W3C and {@code X-MMF-*} context from the carrier, makes sure
     * correlation and request ids exist, opens the server span and starts the RED timer. The
     * returned exchange is not yet current: use {@link #makeCurrent()}.
     *
     * @return the exchange, or {@code null} when the instrumentation failed (counted for {@code
     *     http_server}): the filter then serves the request uninstrumented
     */
    public static <C> ServerExchange start(
            HttpServerTelemetry telemetry, C carrier, TextMapGetter<C> getter, RequestInfo request) {
        try {
            return doStart(telemetry, carrier, getter, request);
        } catch (RuntimeException e) {
            telemetry
                    .observability()
                    .metrics()
                    .instrumentationErrors()
                    .record(InstrumentationErrors.HTTP_SERVER, "cannot start the server span", e);
            return null;
        }
    }

    private static <C> ServerExchange doStart(
            HttpServerTelemetry telemetry, C carrier, TextMapGetter<C> getter, RequestInfo request) {
        MartyObservability observability = telemetry.observability();
        Context extracted = observability
                .openTelemetry()
                .getPropagators()
                .getTextMapPropagator()
                .extract(Context.root(), carrier, getter);
        CorrelationContext correlation = CorrelationContext.fromContext(extracted);
        if (correlation.correlationId() == null || correlation.requestId() == null) {
            // propagators without the MMF one: still guarantee ids for this hop
            correlation = correlation.newChild();
            extracted = extracted.with(correlation);
        }
        String method = HttpSemantics.normalizeMethod(request.method());
        String route = telemetry.routeTemplater().template(request.path());
        SpanBuilder builder = tracer(observability.openTelemetry())
                .spanBuilder(method + " " + route)
                .setParent(extracted)
                .setSpanKind(SpanKind.SERVER);
        // Marty's samplers (ratio, parent-based) never read attributes. At sampling 1.0 they go on the
        // builder (one map, no lock per attribute); below it only a span that records gets them, after
        // the sampling decision, so an unsampled request neither reads the request facts nor fills a map.
        // Correlation attributes come from CorrelationSpanProcessor (the parent holds them).
        boolean everySpanRecords = observability.config().sampleRate() >= 1.0;
        if (everySpanRecords) {
            setAttributes(builder, null, method, route, request);
        }
        Span span = builder.startSpan();
        if (!everySpanRecords && span.isRecording()) {
            setAttributes(null, span, method, route, request);
        }
        Context context = extracted.with(span);
        RequestTimer timer = observability
                .metrics()
                .red()
                .route(Protocol.HTTP, Direction.SERVER, method, route)
                .start(context);
        return new ServerExchange(
                context,
                span,
                timer,
                correlation,
                method,
                route,
                telemetry.accessLogEnabled(),
                observability.metrics().instrumentationErrors());
    }

    /** The tracer of the last OpenTelemetry used: a component-registry lookup saved per request. */
    private static Tracer tracer(OpenTelemetry openTelemetry) {
        return TRACERS.get(openTelemetry, otel -> otel.getTracer(INSTRUMENTATION));
    }

    /** Sets the request attributes on {@code builder}, or on {@code span} when the builder is null. */
    private static void setAttributes(
            SpanBuilder builder, Span span, String method, String route, RequestInfo request) {
        set(builder, span, HTTP_REQUEST_METHOD, method);
        set(builder, span, HTTP_ROUTE, route);
        set(builder, span, URL_PATH, request.path());
        set(builder, span, URL_SCHEME, request.scheme());
        setIfPresent(builder, span, SERVER_ADDRESS, request.serverAddress());
        int port = request.serverPort();
        if (port > 0) {
            set(builder, span, SERVER_PORT, (long) port);
        }
        setIfPresent(builder, span, CLIENT_ADDRESS, request.clientAddress());
        setIfPresent(builder, span, USER_AGENT, request.userAgent());
        setIfPresent(builder, span, PROTOCOL_VERSION, request.protocolVersion());
    }

    private static void setIfPresent(SpanBuilder builder, Span span, AttributeKey<String> key, String value) {
        if (value != null && !value.isEmpty()) {
            set(builder, span, key, value);
        }
    }

    private static <T> void set(SpanBuilder builder, Span span, AttributeKey<T> key, T value) {
        if (builder != null) {
            builder.setAttribute(key, value);
        } else {
            span.setAttribute(key, value);
        }
    }

    /** The context of this request (span + correlation). */
    public Context context() {
        return context;
    }

    /** Makes the request context (and so the MDC view) current until the scope is closed. */
    public Scope makeCurrent() {
        return context.makeCurrent();
    }

    /** Correlation context of this hop (new request id, caller's request id as parent). */
    public CorrelationContext correlation() {
        return correlation;
    }

    /** The route template used for labels. */
    public String route() {
        return route;
    }

    /**
     * Ends the exchange once: span status and attributes, RED metrics (with exemplar), access log.
     *
     * @param status HTTP status sent (or {@link #CLIENT_CLOSED_REQUEST})
     * @param error the failure, or {@code null}
     */
    public void end(int status, Throwable error) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return;
        }
        // inside the filters' scope this attach is a no-op (the storage skips an attach of the
        // current context); async completions arrive on other threads and need it
        try (Scope ignored = context.makeCurrent()) {
            Outcome outcome = status == CLIENT_CLOSED_REQUEST ? Outcome.CLIENT_ERROR : Outcome.ofHttpStatus(status);
            String errorType = null;
            if (status == CLIENT_CLOSED_REQUEST) {
                errorType = "client_disconnect";
            } else if (status >= 500) {
                errorType = error != null ? error.getClass().getName() : HttpSemantics.statusText(status);
            } else if (error != null) {
                errorType = error.getClass().getName();
            }
            // an unsampled span drops everything set on it: skip the calls (and the boxed status)
            if (span.isRecording()) {
                span.setAttribute(HTTP_STATUS, (long) status);
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
                if (error != null) {
                    span.recordException(error);
                }
                if (errorType != null) {
                    span.setAttribute(ERROR_TYPE, errorType);
                }
            }
            if (errorType != null) {
                timer.end(HttpSemantics.statusText(status), outcome, errorType);
            } else {
                timer.end(HttpSemantics.statusText(status), outcome);
            }
            span.end();
            if (accessLog && ACCESS.isInfoEnabled()) {
                double durationMs = timer.elapsedSeconds() * 1000; // the timer's start: one clock read less
                ACCESS.atInfo()
                        .addKeyValue("category", "access")
                        .addKeyValue("method", method)
                        .addKeyValue("route", route)
                        .addKeyValue("status", status)
                        .addKeyValue("duration_ms", Math.round(durationMs * 1000) / 1000.0)
                        .log("{} {} {} {}ms", method, route, status, Math.round(durationMs));
            }
        } catch (RuntimeException e) {
            errors.record(InstrumentationErrors.HTTP_SERVER, "cannot end the server span", e);
        }
    }
}
