package io.marty.observability.core.metrics;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * A gauge made by {@link MartyMetrics#gauge(String, String, String...)}: {@code mmf_} prefix, {@code
 * service} label, series cap. Recording never throws.
 *
 * <pre>{@code
 * MartyGauge depth = metrics.gauge("queue_depth", "Messages waiting.", "queue");
 * depth.labels("payments").set(17);
 * }</pre>
 */
public final class MartyGauge {
    private final String name;
    private final SeriesCache<Child> series;

    MartyGauge(String name, Gauge gauge, String service, int labelCount, int maxSeries, Runnable onOverflow) {
        this.name = name;
        this.series = new SeriesCache<>(
                name,
                labelCount,
                maxSeries,
                values -> new Child(gauge.labelValues(MartyMetrics.prepend(service, values))),
                onOverflow,
                new Child(null));
    }

    /** Exposed name. */
    public String name() {
        return name;
    }

    /** The series for these label values. */
    public Child labels(String... labelValues) {
        return series.get(labelValues);
    }

    /** Sets the series without labels. */
    public void set(double value) {
        labels().set(value);
    }

    /** One labelled series. */
    public static final class Child {
        private final GaugeDataPoint point;

        Child(GaugeDataPoint point) {
            this.point = point;
        }

        /** Sets the value. */
        public void set(double value) {
            if (point != null) {
                point.set(value);
            }
        }

        /** Adds one. */
        public void inc() {
            if (point != null) {
                point.inc();
            }
        }

        /** Adds {@code amount} (may be negative). */
        public void inc(double amount) {
            if (point != null) {
                point.inc(amount);
            }
        }

        /** Subtracts one. */
        public void dec() {
            if (point != null) {
                point.dec();
            }
        }

        /** Current value (NaN for the no-op series). */
        public double get() {
            return point == null ? Double.NaN : point.get();
        }
    }
}
