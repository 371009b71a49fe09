package io.marty.observability.slo;

/**
 * What a service level indicator measures. The first three are computed from the framework's own RED
 * metrics ({@code mmf_requests_total}, {@code mmf_request_duration_seconds}); the others are ratios of
 * user-supplied good (or bad) and total event queries.
 */
public enum SliType {
    /** Requests that did not fail with a server error ({@code outcome!="server_error"}). */
    AVAILABILITY,
    /** Requests served within a latency threshold (a histogram bucket bound). */
    LATENCY,
    /** Requests with {@code outcome="success"} (client and server errors both count as bad). */
    ERROR_RATE,
    /** Ratio of periods/events meeting a throughput floor; needs custom queries. */
    THROUGHPUT,
    /** Ratio of fresh data points; needs custom queries. */
    FRESHNESS,
    /** Ratio of correct results; needs custom queries. */
    CORRECTNESS,
    /** Any good/total or bad/total ratio given as queries. */
    CUSTOM_RATIO;

    /** True when the indicator is derived from the framework's RED metrics without custom queries. */
    public boolean isBuiltIn() {
        return this == AVAILABILITY || this == LATENCY || this == ERROR_RATE;
    }

    /** Lower-case name used in specs, labels and reports. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a spec value such as {@code availability}, {@code error-rate} or {@code custom_ratio}. */
    public static SliType parse(String value) {
        String v = value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (v.equals("SUCCESS") || v.equals("SUCCESS_RATE")) {
            return ERROR_RATE;
        }
        if (v.equals("QUALITY")) {
            return FRESHNESS;
        }
        if (v.equals("RATIO") || v.equals("CUSTOM")) {
            return CUSTOM_RATIO;
        }
        for (SliType t : values()) {
            if (t.name().equals(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown SLI type '" + value
                + "' (expected one of availability, latency, error_rate, throughput, freshness, correctness,"
                + " custom_ratio)");
    }
}
