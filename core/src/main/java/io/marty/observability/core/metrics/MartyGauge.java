package io.marty.observability.core.metrics;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * A gauge made by {@link MartyMetrics#gauge(String, String, String...)}: {@code mmf_} prefix, {@code
 * service} label, series cap. Recording never throws.
 *
 * <pre>{@code
 * MartyGauge depth = metrics.gauge("queue_depth", "Messages waiting.", "queue");
 * depth.labels("payments").set(17);
 * }</pre>
 */
public final class MartyGauge extends MartyMetric<MartyGauge.Child> {
    MartyGauge(String name, SeriesCache<Child> series) {
        super(name, series);
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
