package io.marty.observability.core.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;

/**
 * Internal, unstable. Lets client_java's own exemplar sampler pick exemplars for our histograms.
 *
 * <p>Building {@code Labels.of("trace_id", ..., "span_id", ...)} for every observation cost half
 * of a RED record (client_java validates label names each time). client_java already keeps at most
 * one exemplar per bucket per retention period and only asks the tracer when it wants a new one, so
 * we register this supplier and pass the request's span through a thread-local slot for the
 * duration of {@code observe}: the trace ids are read only when an exemplar is kept.
 */
public final class ExemplarSpans implements io.prometheus.metrics.tracer.common.SpanContext {
    private static final ExemplarSpans INSTANCE = new ExemplarSpans();
    private static final ThreadLocal<SpanContext[]> PINNED = ThreadLocal.withInitial(() -> new SpanContext[1]);

    static {
        SpanContextSupplier.setSpanContext(INSTANCE);
    }

    private ExemplarSpans() {}

    /**
     * Observes {@code value} with {@code span} (when valid and sampled) as the exemplar candidate,
     * whatever context is current on this thread.
     */
    public static void observe(DistributionDataPoint point, double value, SpanContext span) {
        SpanContext[] slot = PINNED.get();
        SpanContext outer = slot[0];
        slot[0] = span == null ? SpanContext.getInvalid() : span;
        try {
            point.observe(value);
        } finally {
            slot[0] = outer;
        }
    }

    private static SpanContext current() {
        SpanContext pinned = PINNED.get()[0];
        return pinned != null ? pinned : Span.current().getSpanContext();
    }

    @Override
    public String getCurrentTraceId() {
        SpanContext sc = current();
        return sc.isValid() ? sc.getTraceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
        SpanContext sc = current();
        return sc.isValid() ? sc.getSpanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
        SpanContext sc = current();
        return sc.isValid() && sc.isSampled();
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        // the span may have ended already (RED metrics record after span end): nothing to mark
    }
}
