package io.marty.observability.slo;

import io.marty.observability.slo.internal.Decimals;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A service level indicator: which requests count and which of them are good.
 *
 * <p>Built-in indicators ({@link SliType#isBuiltIn()}) select the framework's RED metrics by service (from
 * the SLO) and optionally protocol, direction (default {@code server}), route and method. Other types carry
 * PromQL counter selectors for good (or bad) and total events; a query may also be a full expression using
 * {@code $window} for the range, e.g. {@code sum(rate(jobs_failed_total[$window]))}.
 *
 * <pre>{@code
 * Sli.availability();
 * Sli.latency(0.5).toBuilder().route("/orders/{id}").build();
 * Sli.builder(SliType.CUSTOM_RATIO).badQuery("jobs_failed_total").totalQuery("jobs_total").build();
 * }</pre>
 */
public final class Sli {
    private final SliType type;
    private final String protocol;
    private final String direction;
    private final String route;
    private final String method;
    private final double latencyThresholdSeconds;
    private final String goodQuery;
    private final String badQuery;
    private final String totalQuery;

    private Sli(Builder b) {
        this.type = b.type;
        this.protocol = b.protocol;
        this.direction = b.direction;
        this.route = b.route;
        this.method = b.method;
        this.latencyThresholdSeconds = b.latencyThresholdSeconds;
        this.goodQuery = b.goodQuery;
        this.badQuery = b.badQuery;
        this.totalQuery = b.totalQuery;
    }

    /** Server requests without a server error. */
    public static Sli availability() {
        return builder(SliType.AVAILABILITY).build();
    }

    /** Server requests that succeeded (no client or server error). */
    public static Sli successRate() {
        return builder(SliType.ERROR_RATE).build();
    }

    /** Server requests faster than {@code thresholdSeconds} (should be a histogram bucket bound). */
    public static Sli latency(double thresholdSeconds) {
        return builder(SliType.LATENCY)
                .latencyThresholdSeconds(thresholdSeconds)
                .build();
    }

    public static Builder builder(SliType type) {
        return new Builder(type);
    }

    public Builder toBuilder() {
        Builder b = new Builder(type);
        b.protocol = protocol;
        b.direction = direction;
        b.route = route;
        b.method = method;
        b.latencyThresholdSeconds = latencyThresholdSeconds;
        b.goodQuery = goodQuery;
        b.badQuery = badQuery;
        b.totalQuery = totalQuery;
        return b;
    }

    public SliType type() {
        return type;
    }

    /** {@code http}, {@code grpc}, or null for both. */
    public @Nullable String protocol() {
        return protocol;
    }

    /** {@code server} (default), {@code client}, or null for both. */
    public @Nullable String direction() {
        return direction;
    }

    /** Route template such as {@code /orders/{id}}, or null for all. */
    public @Nullable String route() {
        return route;
    }

    /** HTTP method or gRPC method, or null for all. */
    public @Nullable String method() {
        return method;
    }

    /** Latency threshold in seconds, or NaN for non-latency indicators. */
    public double latencyThresholdSeconds() {
        return latencyThresholdSeconds;
    }

    public @Nullable String goodQuery() {
        return goodQuery;
    }

    public @Nullable String badQuery() {
        return badQuery;
    }

    public @Nullable String totalQuery() {
        return totalQuery;
    }

    /**
     * True when a request with these attributes is selected by this built-in indicator (used by the
     * in-process tracker). Null filters match everything.
     */
    public boolean matches(String protocol, String direction, @Nullable String method, @Nullable String route) {
        return (this.protocol == null || this.protocol.equals(protocol))
                && (this.direction == null || this.direction.equals(direction))
                && (this.method == null || this.method.equals(method))
                && (this.route == null || this.route.equals(route));
    }

    /**
     * True when a selected request is good. {@code outcome} is {@code success}, {@code client_error} or
     * {@code server_error}.
     */
    public boolean isGood(String outcome, double durationSeconds) {
        return switch (type) {
            case AVAILABILITY -> !"server_error".equals(outcome);
            case ERROR_RATE -> "success".equals(outcome);
            // le buckets are inclusive: a request taking exactly the threshold is good.
            case LATENCY -> durationSeconds <= latencyThresholdSeconds;
            default -> true;
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.id());
        if (type == SliType.LATENCY) {
            sb.append(" <= ").append(Decimals.num(latencyThresholdSeconds)).append('s');
        }
        if (route != null) {
            sb.append(" route=").append(route);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sli s
                && s.type == type
                && Objects.equals(s.protocol, protocol)
                && Objects.equals(s.direction, direction)
                && Objects.equals(s.route, route)
                && Objects.equals(s.method, method)
                && Double.compare(s.latencyThresholdSeconds, latencyThresholdSeconds) == 0
                && Objects.equals(s.goodQuery, goodQuery)
                && Objects.equals(s.badQuery, badQuery)
                && Objects.equals(s.totalQuery, totalQuery);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, protocol, direction, route, method, latencyThresholdSeconds, totalQuery);
    }

    /** Builder; {@link #build()} validates and throws {@link SloSpecException} naming the field. */
    public static final class Builder {
        private final SliType type;
        private String protocol;
        private String direction = "server";
        private String route;
        private String method;
        private double latencyThresholdSeconds = Double.NaN;
        private String goodQuery;
        private String badQuery;
        private String totalQuery;

        private Builder(SliType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder protocol(@Nullable String protocol) {
            this.protocol = protocol == null ? null : protocol.toLowerCase(Locale.ROOT);
            return this;
        }

        public Builder direction(@Nullable String direction) {
            this.direction = direction == null ? null : direction.toLowerCase(Locale.ROOT);
            return this;
        }

        public Builder route(@Nullable String route) {
            this.route = route;
            return this;
        }

        public Builder method(@Nullable String method) {
            this.method = method;
            return this;
        }

        public Builder latencyThresholdSeconds(double seconds) {
            this.latencyThresholdSeconds = seconds;
            return this;
        }

        public Builder goodQuery(@Nullable String q) {
            this.goodQuery = q;
            return this;
        }

        public Builder badQuery(@Nullable String q) {
            this.badQuery = q;
            return this;
        }

        public Builder totalQuery(@Nullable String q) {
            this.totalQuery = q;
            return this;
        }

        public Sli build() {
            if (protocol != null && !protocol.equals("http") && !protocol.equals("grpc")) {
                throw new SloSpecException("protocol", "'" + protocol + "' is not http or grpc");
            }
            if (direction != null && !direction.equals("server") && !direction.equals("client")) {
                throw new SloSpecException("direction", "'" + direction + "' is not server or client");
            }
            for (String[] kv : new String[][] {{"route", route}, {"method", method}}) {
                if (kv[1] != null && (kv[1].indexOf('"') >= 0 || kv[1].indexOf('\\') >= 0 || kv[1].isBlank())) {
                    throw new SloSpecException(
                            kv[0], "'" + kv[1] + "' must be non-blank without quotes or backslashes");
                }
            }
            if (type == SliType.LATENCY) {
                if (!(latencyThresholdSeconds > 0) || Double.isInfinite(latencyThresholdSeconds)) {
                    throw new SloSpecException(
                            "threshold", "latency SLI needs a positive threshold, got " + latencyThresholdSeconds);
                }
            } else if (!Double.isNaN(latencyThresholdSeconds)) {
                throw new SloSpecException("threshold", "only latency SLIs take a threshold (type " + type.id() + ")");
            }
            if (type.isBuiltIn()) {
                if (goodQuery != null || badQuery != null || totalQuery != null) {
                    throw new SloSpecException(
                            "query", type.id() + " SLI is computed from mmf_* metrics and takes no queries");
                }
            } else {
                if (totalQuery == null || totalQuery.isBlank()) {
                    throw new SloSpecException("total", type.id() + " SLI needs a total query");
                }
                if ((goodQuery == null) == (badQuery == null)) {
                    throw new SloSpecException("good", type.id() + " SLI needs exactly one of a good or a bad query");
                }
            }
            return new Sli(this);
        }
    }
}
