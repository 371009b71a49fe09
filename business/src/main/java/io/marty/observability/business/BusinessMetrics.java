package io.marty.observability.business;

import io.marty.observability.business.internal.Checks;
import io.marty.observability.business.internal.LabelPolicy;
import io.marty.observability.business.internal.SlidingDistinct;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.MartyCounter;
import io.marty.observability.core.metrics.MartyGauge;
import io.marty.observability.core.metrics.MartyMetrics;
import io.marty.observability.core.metrics.MartyTimer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Records business activity as {@code mmf_business_*} metrics and as in-process {@link
 * WindowedSeries} that the health score, KPI checks, anomaly detection and alert rules read.
 *
 * <pre>{@code
 * BusinessMetrics business = BusinessMetrics.builder(observability.metrics()).build();
 * business.revenue(Money.of("19.99", "USD"), "web");
 * business.order(true, Money.of("19.99", "USD"), Duration.ofMillis(420), "web");
 * BusinessMetrics.Funnel checkout = business.funnel("checkout", "cart", "shipping", "payment", "confirmed");
 * checkout.step("cart");
 * business.activeUser("u-42");                 // counted in a HyperLogLog sketch, never a label
 * }</pre>
 *
 * <p>Metrics (all with {@code service}): {@code mmf_business_revenue_minor_units_total{currency,channel}}
 * (exact integer minor units), {@code mmf_business_orders_total{channel,outcome}}, {@code
 * mmf_business_order_duration_seconds{channel,outcome}}, {@code mmf_business_funnel_steps_total{funnel,step}},
 * {@code mmf_business_funnel_conversion_ratio{funnel,step}}, {@code mmf_business_sessions_total}, {@code
 * mmf_business_session_duration_seconds}, {@code mmf_business_active_users{window}} (1m, 1h, 1d),
 * {@code mmf_business_carts_total{outcome}} ({@code created}, {@code abandoned}), {@code
 * mmf_business_event_<type>_total{<declared keys>}}. Label keys are declared up front; keys naming
 * ids, users or amounts are refused ({@code order_id}, {@code user_id}, {@code amount} …). Channel,
 * funnel, step and event values are bounded by core's per-metric series limit.
 *
 * <p>In-process series (names used by rules and {@link BusinessHealth#inputsFrom}): {@code revenue}
 * (minor units of the base currency; {@code revenue.EUR} for others), {@code orders}, {@code
 * orders_failed}, {@code order_duration}, {@code order_within_slo} (1 or 0), {@code
 * funnel.<name>.<step>}, {@code sessions}, {@code carts_created}, {@code carts_abandoned}, {@code
 * event.<name>}. Recording never throws; failures are counted by core's {@code InstrumentationErrors}
 * under {@code business}.
 */
public final class BusinessMetrics {
    /** Windows of {@code mmf_business_active_users}. */
    public static final List<Duration> ACTIVE_USER_WINDOWS =
            List.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1));

    private static final int MAX_SERIES = 512;

    private final MartyMetrics metrics;
    private final Clock clock;
    private final String baseCurrency;
    private final Duration bucket;
    private final Duration retention;
    private final double orderLatencySloSeconds;
    private final Duration conversionWindow;
    private final ConcurrentHashMap<String, WindowedSeries> series = new ConcurrentHashMap<>();
    private final Map<String, Funnel> funnels = new ConcurrentHashMap<>();
    private final SlidingDistinct[] activeUsers;
    private final MartyCounter revenue;
    private final MartyCounter orders;
    private final MartyTimer orderDuration;
    private final MartyCounter funnelSteps;
    private final MartyGauge conversion;
    private final MartyCounter sessions;
    private final MartyTimer sessionDuration;
    private final MartyGauge activeUsersGauge;
    private final MartyCounter carts;

    private BusinessMetrics(Builder b) {
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.baseCurrency = b.baseCurrency;
        this.bucket = b.bucket;
        this.retention = b.retention;
        this.orderLatencySloSeconds = b.orderLatencySlo.toNanos() / 1e9;
        this.conversionWindow = b.conversionWindow;
        this.revenue = metrics.counter(
                "business_revenue_minor_units_total",
                "Revenue in the currency's minor units (exact integers)",
                "currency",
                "channel");
        this.orders = metrics.counter("business_orders_total", "Orders by outcome", "channel", "outcome");
        this.orderDuration =
                metrics.timer("business_order_duration_seconds", "Time to complete an order", "channel", "outcome");
        this.funnelSteps = metrics.counter("business_funnel_steps_total", "Funnel steps reached", "funnel", "step");
        this.conversion = metrics.gauge(
                "business_funnel_conversion_ratio",
                "Share of the funnel's first step that reached this step over the conversion window",
                "funnel",
                "step");
        this.sessions = metrics.counter("business_sessions_total", "User sessions ended");
        this.sessionDuration =
                metrics.timer("business_session_duration_seconds", "User session duration", new double[] {
                    10, 30, 60, 120, 300, 600, 1800, 3600, 7200
                });
        this.activeUsersGauge =
                metrics.gauge("business_active_users", "Distinct active users (HyperLogLog estimate)", "window");
        this.carts = metrics.counter("business_carts_total", "Carts created and abandoned", "outcome");
        this.activeUsers = new SlidingDistinct[ACTIVE_USER_WINDOWS.size()];
        int[] slots = {6, 12, 24};
        for (int i = 0; i < activeUsers.length; i++) {
            activeUsers[i] = new SlidingDistinct(ACTIVE_USER_WINDOWS.get(i).toMillis(), slots[i], 12);
        }
    }

    /** Business metrics on {@code metrics}' registry, labelled with its service. */
    public static Builder builder(MartyMetrics metrics) {
        return new Builder(metrics);
    }

    /** The clock the series use. */
    public Clock clock() {
        return clock;
    }

    /** The currency whose revenue is the {@code revenue} series. */
    public String baseCurrency() {
        return baseCurrency;
    }

    /** The service label of the metrics. */
    public String service() {
        return metrics.service();
    }

    /** Revenue of {@code amount} through {@code channel} (e.g. {@code web}, {@code app}, {@code partner}). */
    public void revenue(Money amount, String channel) {
        try {
            revenue.labels(amount.currencyCode(), channel).inc(amount.minorUnits());
            record(revenueSeries(amount.currencyCode()), amount.minorUnits());
        } catch (RuntimeException e) {
            failed("revenue", e);
        }
    }

    /** Name of the in-process revenue series of {@code currencyCode}. */
    public String revenueSeries(String currencyCode) {
        return currencyCode.equals(baseCurrency) ? "revenue" : "revenue." + currencyCode;
    }

    /**
     * An order (or transaction) that succeeded or failed, its value and how long it took. The value
     * is not revenue: call {@link #revenue} when the money is taken.
     */
    public void order(boolean success, Money value, Duration duration, String channel) {
        try {
            String outcome = success ? "success" : "failure";
            orders.labels(channel, outcome).inc();
            double seconds = duration.toNanos() / 1e9;
            orderDuration.labels(channel, outcome).recordSeconds(seconds);
            record("orders", 1);
            record("order_value", value.minorUnits());
            if (!success) {
                record("orders_failed", 1);
            }
            record("order_duration", seconds);
            record("order_within_slo", success && seconds <= orderLatencySloSeconds ? 1 : 0);
        } catch (RuntimeException e) {
            failed("order", e);
        }
    }

    /**
     * The funnel {@code name} with its ordered {@code steps} (declared once; asking again with the same
     * steps returns the same funnel, other steps fail naming the funnel).
     */
    public Funnel funnel(String name, String... steps) {
        if (steps.length < 2) {
            throw new IllegalArgumentException("funnel '" + name + "' needs at least two steps");
        }
        List<String> list = List.of(steps);
        Funnel f = funnels.computeIfAbsent(name, n -> new Funnel(n, list));
        if (!f.steps.equals(list)) {
            throw new IllegalArgumentException(
                    "funnel '" + name + "' is already declared with steps " + f.steps + ", not " + list);
        }
        return f;
    }

    /** The declared funnels. */
    public List<Funnel> funnels() {
        return List.copyOf(funnels.values());
    }

    /** A user was active now: counted in the 1 m / 1 h / 1 d distinct-user sketches (the id is hashed, never kept). */
    public void activeUser(String userId) {
        try {
            long now = clock.millis();
            synchronized (activeUsers) {
                for (SlidingDistinct d : activeUsers) {
                    d.add(userId, now);
                }
            }
        } catch (RuntimeException e) {
            failed("active user", e);
        }
    }

    /** A session of {@code userId} ended after {@code duration}; the user counts as active. */
    public void session(String userId, Duration duration) {
        try {
            sessions.inc();
            sessionDuration.labels().record(duration);
            record("sessions", 1);
            record("session_duration", duration.toNanos() / 1e9);
        } catch (RuntimeException e) {
            failed("session", e);
        }
        activeUser(userId);
    }

    /** Estimated distinct active users over one of {@link #ACTIVE_USER_WINDOWS}. */
    public long activeUsers(Duration window) {
        int i = ACTIVE_USER_WINDOWS.indexOf(window);
        if (i < 0) {
            throw new IllegalArgumentException("active user window must be one of 1m, 1h, 1d, got " + window);
        }
        synchronized (activeUsers) {
            return activeUsers[i].estimate(clock.millis());
        }
    }

    /** A cart was created. */
    public void cartCreated() {
        try {
            carts.labels("created").inc();
            record("carts_created", 1);
        } catch (RuntimeException e) {
            failed("cart", e);
        }
    }

    /** A cart holding {@code value} was abandoned. */
    public void cartAbandoned(Money value) {
        try {
            carts.labels("abandoned").inc();
            record("carts_abandoned", 1);
            record("abandoned_value", value.minorUnits());
        } catch (RuntimeException e) {
            failed("cart", e);
        }
    }

    /** Abandoned carts per created cart over {@code window} (NaN without carts). */
    public double cartAbandonmentRate(Duration window) {
        double created = aggregate("carts_created", Aggregation.COUNT, window, Duration.ZERO);
        return created == 0
                ? Double.NaN
                : aggregate("carts_abandoned", Aggregation.COUNT, window, Duration.ZERO) / created;
    }

    /**
     * A custom business event type {@code name} with the declared label {@code keys}; keys naming ids,
     * users or amounts fail here, naming the key.
     */
    public EventType eventType(String name, String... keys) {
        if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("event type '" + name + "' must match [a-z][a-z0-9_]{0,63}");
        }
        String metric = "mmf_business_event_" + name + "_total";
        for (String k : keys) {
            LabelPolicy.check(metric, k);
        }
        return new EventType(name, metrics.counter(metric, "Business events '" + name + "'", keys));
    }

    /**
     * Refreshes the gauges computed from the series: funnel conversion ratios and active users. The
     * alert evaluator calls it on every tick.
     */
    public void refresh() {
        try {
            for (Funnel f : funnels.values()) {
                for (StepConversion s : f.conversion(conversionWindow)) {
                    if (!Double.isNaN(s.fromFirst())) {
                        conversion.labels(f.name, s.step()).set(s.fromFirst());
                    }
                }
            }
            for (Duration w : ACTIVE_USER_WINDOWS) {
                activeUsersGauge.labels(label(w)).set(activeUsers(w));
            }
        } catch (RuntimeException e) {
            failed("refresh", e);
        }
    }

    static String label(Duration w) {
        return w.toDays() >= 1 ? w.toDays() + "d" : w.toHours() >= 1 ? w.toHours() + "h" : w.toMinutes() + "m";
    }

    /** The in-process series {@code name}, or null when nothing was recorded to it. */
    public @Nullable WindowedSeries series(String name) {
        return series.get(name);
    }

    /** Names of the in-process series recorded so far. */
    public List<String> seriesNames() {
        List<String> names = new ArrayList<>(series.keySet());
        Collections.sort(names);
        return names;
    }

    /**
     * {@code agg} of series {@code name} over {@code window} ending {@code offset} ago; for a series
     * never recorded: 0 for sum/count/rate, NaN otherwise. {@code conversion.<funnel>} is the overall
     * conversion of a funnel (last step / first step counts).
     */
    public double aggregate(String name, Aggregation agg, Duration window, Duration offset) {
        if (name.startsWith("conversion.")) {
            Funnel f = funnels.get(name.substring("conversion.".length()));
            return f == null ? Double.NaN : f.overall(window, offset);
        }
        WindowedSeries s = series.get(name);
        if (s == null) {
            return agg == Aggregation.SUM || agg == Aggregation.COUNT || agg == Aggregation.RATE ? 0 : Double.NaN;
        }
        return s.aggregate(agg, window, offset);
    }

    void record(String name, double value) {
        WindowedSeries s = series.get(name);
        if (s == null) {
            if (series.size() >= MAX_SERIES) {
                return;
            }
            s = series.computeIfAbsent(
                    name,
                    n -> WindowedSeries.builder()
                            .clock(clock)
                            .bucket(bucket)
                            .retention(retention)
                            .samplesPerBucket(n.endsWith("_duration") ? 64 : 0)
                            .build());
        }
        s.record(value);
    }

    private static void failed(String what, RuntimeException e) {
        InstrumentationErrors.current().record(InstrumentationErrors.BUSINESS, "business metrics: " + what, e);
    }

    /** Conversion at one funnel step: its count, the share of the previous step and of the first. */
    public record StepConversion(String step, double count, double fromPrevious, double fromFirst) {}

    /** A conversion funnel: named ordered steps, counted; rates come from the counts. */
    public final class Funnel {
        private final String name;
        private final List<String> steps;

        private Funnel(String name, List<String> steps) {
            this.name = name;
            this.steps = steps;
        }

        public String name() {
            return name;
        }

        public List<String> steps() {
            return steps;
        }

        /** One user reached {@code step}; an undeclared step is reported to InstrumentationErrors, not recorded. */
        public void step(String step) {
            if (!steps.contains(step)) {
                failed("funnel", new IllegalArgumentException("funnel '" + name + "' has no step '" + step + "'"));
                return;
            }
            try {
                funnelSteps.labels(name, step).inc();
                record("funnel." + name + "." + step, 1);
            } catch (RuntimeException e) {
                failed("funnel", e);
            }
        }

        /** Per step over {@code window}: count and conversion from the previous and from the first step. */
        public List<StepConversion> conversion(Duration window) {
            List<StepConversion> out = new ArrayList<>();
            double first = Double.NaN;
            double prev = Double.NaN;
            for (String s : steps) {
                double c = aggregate("funnel." + name + "." + s, Aggregation.COUNT, window, Duration.ZERO);
                if (Double.isNaN(first)) {
                    first = c;
                }
                out.add(new StepConversion(s, c, prev > 0 ? c / prev : Double.NaN, first > 0 ? c / first : Double.NaN));
                prev = c;
            }
            return out;
        }

        /** Last step count / first step count over {@code window} ending {@code offset} ago (NaN without entries). */
        public double overall(Duration window, Duration offset) {
            double first = aggregate("funnel." + name + "." + steps.get(0), Aggregation.COUNT, window, offset);
            double last =
                    aggregate("funnel." + name + "." + steps.get(steps.size() - 1), Aggregation.COUNT, window, offset);
            return first > 0 ? last / first : Double.NaN;
        }
    }

    /** A declared custom event type; {@link #record} takes one value per declared key. */
    public final class EventType {
        private final String name;
        private final MartyCounter counter;

        private EventType(String name, MartyCounter counter) {
            this.name = name;
            this.counter = counter;
        }

        /** One event with values for the declared keys, in order. */
        public void record(String... values) {
            try {
                counter.labels(values).inc();
                BusinessMetrics.this.record("event." + name, 1);
            } catch (RuntimeException e) {
                failed("event " + name, e);
            }
        }
    }

    /** Builder for {@link BusinessMetrics}. */
    public static final class Builder {
        private final MartyMetrics metrics;
        private Clock clock = Clock.systemUTC();
        private String baseCurrency = "USD";
        private Duration bucket = Duration.ofMinutes(1);
        private Duration retention = Duration.ofDays(2);
        private Duration orderLatencySlo = Duration.ofSeconds(1);
        private Duration conversionWindow = Duration.ofHours(1);

        private Builder(MartyMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /** Clock of the in-process series (tests: {@code ManualClock}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Currency of the {@code revenue} series (default USD). */
        public Builder baseCurrency(String code) {
            this.baseCurrency = Money.ofMinor(0, code).currencyCode();
            return this;
        }

        /** Bucket width of the in-process series (default 1 min). */
        public Builder bucket(Duration d) {
            this.bucket = Checks.atLeastOneMilli("bucket", d);
            return this;
        }

        /** How far back the in-process series reach (default 2 d: rate-of-change rules compare with a day ago). */
        public Builder retention(Duration d) {
            this.retention = Checks.positive("retention", d);
            return this;
        }

        /** Orders completed within this count as within the latency SLO (default 1 s). */
        public Builder orderLatencySlo(Duration d) {
            this.orderLatencySlo = Checks.positive("orderLatencySlo", d);
            return this;
        }

        /** Window of {@code mmf_business_funnel_conversion_ratio} (default 1 h). */
        public Builder conversionWindow(Duration d) {
            this.conversionWindow = Checks.positive("conversionWindow", d);
            return this;
        }

        public BusinessMetrics build() {
            return new BusinessMetrics(this);
        }
    }

    /** Per-series snapshot of the last {@code points} buckets of {@code agg}, for charts. */
    public Map<String, double[]> snapshot(List<String> names, Aggregation agg, int points) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String n : names) {
            WindowedSeries s = series.get(n);
            if (s != null) {
                out.put(n, s.buckets(agg, points));
            }
        }
        return out;
    }
}
