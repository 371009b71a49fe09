package io.marty.observability.core.tracing;

import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Span helpers on top of the OTel API. Spans started here (and any span started while Marty runs)
 * carry the correlation attributes ({@link CorrelationAttributes}); failures are recorded as
 * exceptions with status ERROR.
 *
 * <pre>{@code
 * Tracing tracing = MartyObservability.current().orElseThrow().tracing();
 * Invoice inv = tracing.trace("billing.invoice", Attributes.of(stringKey("order.id"), id), () -> billing.invoice(id));
 * Map<String, String> headers = tracing.traceHeaders(); // traceparent, tracestate, baggage, X-MMF-*
 * }</pre>
 */
public final class Tracing {
    /** Instrumentation scope name used for spans created through this class. */
    public static final String INSTRUMENTATION_NAME = "io.marty.observability.core";

    private static final TextMapSetter<Map<String, String>> MAP_SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(key, value);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    private Tracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
    }

    /** Tracing helpers over any {@link OpenTelemetry} instance. */
    public static Tracing create(OpenTelemetry openTelemetry) {
        return new Tracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /** The tracer used by these helpers. */
    public Tracer tracer() {
        return tracer;
    }

    /**
     * Runs {@code body} in a new INTERNAL span (child of the current one) that is current while it
     * runs; an exception is recorded, sets status ERROR and is rethrown.
     */
    public <T extends @Nullable Object> T trace(String name, @Nullable Attributes attributes, Callable<T> body)
            throws Exception {
        Span span = startSpan(name, SpanKind.INTERNAL, attributes);
        try (Scope ignored = span.makeCurrent()) {
            return body.call();
        } catch (Exception | Error e) {
            recordFailure(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** {@link #trace(String, Attributes, Callable)} without attributes. */
    public <T extends @Nullable Object> T trace(String name, Callable<T> body) throws Exception {
        return trace(name, Attributes.empty(), body);
    }

    /** {@link #trace(String, Attributes, Callable)} for code that returns nothing. */
    public void trace(String name, @Nullable Attributes attributes, Runnable body) {
        Span span = startSpan(name, SpanKind.INTERNAL, attributes);
        try (Scope ignored = span.makeCurrent()) {
            body.run();
        } catch (RuntimeException | Error e) {
            recordFailure(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Starts (does not make current) an INTERNAL span, child of the current context. */
    public Span startSpan(String name) {
        return startSpan(name, SpanKind.INTERNAL, Attributes.empty());
    }

    /** Starts (does not make current) a span of this kind, child of the current context. */
    public Span startSpan(String name, @Nullable SpanKind kind, @Nullable Attributes attributes) {
        return startSpan(name, kind, attributes, Context.current());
    }

    /** Starts (does not make current) a span of this kind with an explicit parent context. */
    public Span startSpan(
            String name, @Nullable SpanKind kind, @Nullable Attributes attributes, @Nullable Context parent) {
        Span span = tracer.spanBuilder(name)
                .setSpanKind(kind == null ? SpanKind.INTERNAL : kind)
                .setParent(parent == null ? Context.current() : parent)
                .setAllAttributes(attributes == null ? Attributes.empty() : attributes)
                .startSpan();
        // the SDK's span processor adds these too; done here so it also holds with any OpenTelemetry
        CorrelationAttributes.apply(span, CorrelationContext.fromContext(parent == null ? Context.current() : parent));
        return span;
    }

    /** Records {@code error} on {@code span} and sets status ERROR (does not end the span). */
    public static void recordFailure(Span span, Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
    }

    /**
     * The propagation headers of the current context for code that builds its own requests: {@code
     * traceparent}, {@code tracestate}, {@code baggage}, {@code X-MMF-*} (and B3 when enabled).
     */
    public Map<String, String> traceHeaders() {
        return traceHeaders(Context.current());
    }

    /** The propagation headers of {@code context}. */
    public Map<String, String> traceHeaders(Context context) {
        Map<String, String> headers = new LinkedHashMap<>();
        openTelemetry.getPropagators().getTextMapPropagator().inject(context, headers, MAP_SETTER);
        return headers;
    }

    /** Trace id (32 hex) of the current span, if one is valid. */
    public static Optional<String> currentTraceId() {
        SpanContext sc = Span.current().getSpanContext();
        return sc.isValid() ? Optional.of(sc.getTraceId()) : Optional.empty();
    }

    /** Span id (16 hex) of the current span, if one is valid. */
    public static Optional<String> currentSpanId() {
        SpanContext sc = Span.current().getSpanContext();
        return sc.isValid() ? Optional.of(sc.getSpanId()) : Optional.empty();
    }
}
