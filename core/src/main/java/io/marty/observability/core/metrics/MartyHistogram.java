package io.marty.observability.core.metrics;

import io.marty.observability.core.internal.ExemplarSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * A histogram made by {@link MartyMetrics#histogram(String, String, double[], String...)}: classic
 * buckets (as given) plus a native histogram, exemplars with {@code trace_id}/{@code span_id} of the
 * current sampled span, {@code mmf_} prefix, {@code service} label, series cap.
 *
 * <pre>{@code
 * MartyHistogram size = metrics.histogram("payload_bytes", "Payload size.", new double[] {256, 1024, 4096}, "kind");
 * size.labels("order").observe(812);
 * }</pre>
 */
public final class MartyHistogram extends MartyMetric<MartyHistogram.Child> {
    MartyHistogram(String name, SeriesCache<Child> series) {
        super(name, series);
    }

    /** Observes on the series without labels. */
    public void observe(double value) {
        labels().observe(value);
    }

    /** One labelled series. */
    public static final class Child {
        private final DistributionDataPoint point;

        Child(DistributionDataPoint point) {
            this.point = point;
        }

        /** Records a value; the current sampled span (if any) becomes an exemplar candidate. */
        public void observe(double value) {
            if (point == null || Double.isNaN(value)) {
                return;
            }
            observeWithSpan(point, value, Span.current().getSpanContext());
        }
    }

    /**
     * Observes with {@code sc} as exemplar candidate: client_java's sampler decides whether to keep
     * it (at most one per bucket per retention period) and only then reads the ids.
     */
    static void observeWithSpan(DistributionDataPoint point, double value, SpanContext sc) {
        ExemplarSpans.observe(point, value, sc);
    }
}
