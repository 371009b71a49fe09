package io.marty.observability.core.metrics;

/**
 * Common part of the custom metrics made by {@link MartyMetrics}: the exposed name and the capped,
 * cached lookup of a labelled series.
 *
 * @param <C> the series type ({@code MartyCounter.Child}, ...)
 */
public abstract class MartyMetric<C> {
    private final String name;
    private final SeriesCache<C> series;

    MartyMetric(String name, SeriesCache<C> series) {
        this.name = name;
        this.series = series;
    }

    /** Exposed name, e.g. {@code mmf_orders_total}. */
    public final String name() {
        return name;
    }

    /**
     * The series for these label values, in declaration order ({@code service} excluded). Never
     * throws: a wrong number of values gives a series that drops its data (logged once); past the
     * series cap, the shared {@code other} series. Cache the result where possible.
     */
    public final C labels(String... labelValues) {
        return series.get(labelValues);
    }
}
