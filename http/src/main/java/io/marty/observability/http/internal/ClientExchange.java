package io.marty.observability.http.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.marty.observability.core.metrics.RequestTimer;
import io.marty.observability.http.RouteTemplater;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One instrumented outgoing HTTP call (any client library): client span, injected headers and
 * client RED timer. {@link #end} is idempotent and never throws. Internal: not a stable API.
 */
public final class ClientExchange {

    /** Status recorded when no response arrived (connect error, timeout, I/O failure). */
    public static final int NO_RESPONSE_STATUS = 0;

    private static final String INSTRUMENTATION = "io.marty.observability.http.client";
    private static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final Context context;
    private final Span span;
    private final RequestTimer timer;
    private final InstrumentationErrors errors;
    private final AtomicBoolean ended = new AtomicBoolean();

    private ClientExchange(Context context, Span span, RequestTimer timer, InstrumentationErrors errors) {
        this.context = context;
        this.span = span;
        this.timer = timer;
        this.errors = errors;
    }

    /**
     * Opens the client span (child of the current context) and starts the client RED timer.
     *
     * @return the exchange, or {@code null} when the instrumentation failed (counted for {@code
     *     http_client}): the caller then sends the request uninstrumented
     */
    public static ClientExchange start(
            MartyObservability observability, RouteTemplater routes, String rawMethod, URI uri) {
        try {
            return doStart(observability, routes, rawMethod, uri);
        } catch (RuntimeException e) {
            recordFailure(observability, "cannot start the client span", e);
            return null;
        }
    }

    /** Counts and logs (throttled) a failure of an HTTP client integration. */
    public static void recordFailure(MartyObservability observability, String what, Throwable e) {
        observability.metrics().instrumentationErrors().record(InstrumentationErrors.HTTP_CLIENT, what, e);
    }

    private static ClientExchange doStart(
            MartyObservability observability, RouteTemplater routes, String rawMethod, URI uri) {
        Context parent = Context.current();
        String method = HttpSemantics.normalizeMethod(rawMethod);
        String route = routes.template(uri.getRawPath());
        SpanBuilder builder = observability
                .openTelemetry()
                .getTracer(INSTRUMENTATION)
                .spanBuilder(method + " " + route)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(HTTP_REQUEST_METHOD, method)
                .setAttribute(URL_FULL, stripUserInfo(uri))
                .setAttribute(URL_TEMPLATE, route);
        if (uri.getHost() != null) {
            builder.setAttribute(SERVER_ADDRESS, uri.getHost());
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        builder.setAttribute(SERVER_PORT, (long) port);
        // correlation attributes come from CorrelationSpanProcessor (the parent holds them)
        Span span = builder.startSpan();
        Context context = parent.with(span);
        RequestTimer timer = observability
                .metrics()
                .red()
                .route(Protocol.HTTP, Direction.CLIENT, method, route)
                .start(context);
        return new ClientExchange(context, span, timer, observability.metrics().instrumentationErrors());
    }

    /**
     * {@code setter} that leaves out (and counts for {@code http_client}) a header the carrier
     * rejects, e.g. a correlation value with characters the client refuses, so the others still
     * go out. Integrations make it once and pass it to every {@link #inject}.
     */
    public static <C> TextMapSetter<C> failOpenSetter(MartyObservability observability, TextMapSetter<C> setter) {
        return observability.metrics().instrumentationErrors().failOpen(InstrumentationErrors.HTTP_CLIENT, setter);
    }

    /**
     * Writes {@code traceparent}, {@code tracestate}, {@code baggage} and {@code X-MMF-*} to the
     * carrier through {@code setter} (made by {@link #failOpenSetter}).
     */
    public <C> void inject(MartyObservability observability, C carrier, TextMapSetter<C> setter) {
        try {
            observability
                    .openTelemetry()
                    .getPropagators()
                    .getTextMapPropagator()
                    .inject(context, carrier, setter);
        } catch (RuntimeException e) {
            errors.record(InstrumentationErrors.HTTP_CLIENT, "cannot inject the propagation headers", e);
        }
    }

    /** Ends the call once: {@link #NO_RESPONSE_STATUS} when no response arrived. */
    public void end(int status, Throwable error) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try (Scope ignored = context.makeCurrent()) {
            String errorType = null;
            Outcome outcome;
            if (status == NO_RESPONSE_STATUS) {
                errorType = error != null ? errorType(error) : "no_response";
                outcome = Outcome.SERVER_ERROR;
            } else {
                span.setAttribute(HTTP_STATUS, (long) status);
                outcome = Outcome.ofHttpStatus(status);
                if (status >= 400) {
                    errorType = HttpSemantics.statusText(status);
                }
            }
            if (error != null) {
                span.recordException(error);
            }
            if (errorType != null) {
                span.setAttribute(ERROR_TYPE, errorType);
                span.setStatus(StatusCode.ERROR);
                timer.end(HttpSemantics.statusText(status), outcome, errorType);
            } else {
                timer.end(HttpSemantics.statusText(status), outcome);
            }
            span.end();
        } catch (RuntimeException e) {
            errors.record(InstrumentationErrors.HTTP_CLIENT, "cannot end the client span", e);
        }
    }

    /** error.type for a failure without response. */
    public static String errorType(Throwable error) {
        if (error instanceof HttpConnectTimeoutException || error instanceof ConnectException) {
            return "connect_error";
        }
        if (error instanceof HttpTimeoutException || error instanceof SocketTimeoutException) {
            return "timeout";
        }
        return error.getClass().getName();
    }

    private static String stripUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath(), null, null)
                    .toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
    }
}
