package io.marty.observability.core.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/**
 * A counter made by {@link MartyMetrics#counter(String, String, String...)}: {@code mmf_} prefix,
 * {@code service} label, series cap. Recording never throws.
 *
 * <pre>{@code
 * MartyCounter orders = metrics.counter("orders_total", "Orders placed.", "channel");
 * orders.labels("web").inc();
 * }</pre>
 */
public final class MartyCounter extends MartyMetric<MartyCounter.Child> {
    MartyCounter(String name, SeriesCache<Child> series) {
        super(name, series);
    }

    /** Adds one to the series without labels (for a counter declared without label names). */
    public void inc() {
        labels().inc();
    }

    /** Adds {@code amount} to the series without labels. */
    public void inc(double amount) {
        labels().inc(amount);
    }

    /** One labelled series. Cache it where possible: lookups are cheap but not free. */
    public static final class Child {
        private final CounterDataPoint point;

        Child(CounterDataPoint point) {
            this.point = point;
        }

        /** Adds one. */
        public void inc() {
            if (point != null) {
                point.inc();
            }
        }

        /** Adds {@code amount}; negative or NaN amounts are ignored. */
        public void inc(double amount) {
            if (point != null && amount >= 0) {
                point.inc(amount);
            }
        }
    }
}
