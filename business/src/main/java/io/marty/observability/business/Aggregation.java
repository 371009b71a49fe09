package io.marty.observability.business;

import java.util.Locale;

/** How {@link WindowedSeries} reduces the points of a window to one value. */
public enum Aggregation {
    /** Sum of the values (0 when empty). */
    SUM,
    /** Number of points (0 when empty). */
    COUNT,
    /** Mean (NaN when empty). */
    AVG,
    /** Smallest value (NaN when empty). */
    MIN,
    /** Largest value (NaN when empty). */
    MAX,
    /** Sum per second of the window. */
    RATE,
    /** Median of the kept samples (NaN when empty). */
    P50,
    /** 90th percentile of the kept samples. */
    P90,
    /** 95th percentile of the kept samples. */
    P95,
    /** 99th percentile of the kept samples. */
    P99;

    /** Parses {@code sum|count|avg|min|max|rate|p50|p90|p95|p99}; throws naming the bad value. */
    public static Aggregation parse(String text) {
        for (Aggregation a : values()) {
            if (a.name().equalsIgnoreCase(text.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "aggregation must be one of sum, count, avg, min, max, rate, p50, p90, p95, p99, got '" + text + "'");
    }

    double quantile() {
        switch (this) {
            case P50:
                return 0.5;
            case P90:
                return 0.9;
            case P95:
                return 0.95;
            case P99:
                return 0.99;
            default:
                return Double.NaN;
        }
    }

    /** Lower-case name, as in YAML. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
