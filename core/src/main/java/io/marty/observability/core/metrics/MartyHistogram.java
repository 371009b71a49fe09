package io.marty.observability.core.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

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

    static void observeWithSpan(DistributionDataPoint point, double value, SpanContext sc) {
        if (sc.isValid() && sc.isSampled()) {
            point.observeWithExemplar(value, Labels.of("trace_id", sc.getTraceId(), "span_id", sc.getSpanId()));
        } else {
            point.observe(value);
        }
    }
}
