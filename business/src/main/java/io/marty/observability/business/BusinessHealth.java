package io.marty.observability.business;

import io.marty.observability.core.metrics.MartyGauge;
import io.marty.observability.core.metrics.MartyMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An explainable business health score from 0 to 100: the weighted mean of component sub-scores,
 * each computed from a real input and its baseline. Default weights: revenue vs baseline 0.30,
 * conversion vs baseline 0.25, error rate 0.20, latency SLO compliance 0.15, engagement 0.10. A
 * component whose input (or baseline) is missing is reported as missing and its weight is shared
 * among the present ones in proportion to their weights; with no input at all there is no score.
 *
 * <p>Sub-scores (0–100): revenue, conversion and engagement {@code 100 × min(1, input / baseline)};
 * error rate {@code 100 × max(0, 1 − rate / maxErrorRate)} (default max 5 %); latency {@code 100 ×
 * min(1, compliance / objective)} (default objective 0.99).
 *
 * <pre>{@code
 * BusinessHealth health = BusinessHealth.builder().build();
 * BusinessHealth.Score s = health.score(BusinessHealth.Inputs.builder()
 *         .revenue(8_000, 10_000).conversion(0.031, 0.030).errorRate(0.01).latencyCompliance(0.995)
 *         .build());                           // engagement missing: its 0.10 is redistributed
 * s.value();                                   // 92.2…
 * s.components();                              // input, baseline, sub-score, weight of each
 * }</pre>
 */
public final class BusinessHealth {
    /** The components, in the order they are listed. */
    public enum Component {
        REVENUE,
        CONVERSION,
        ERROR_RATE,
        LATENCY,
        ENGAGEMENT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Component, Double> weights;
    private final double maxErrorRate;
    private final double latencyObjective;
    private final @Nullable MartyGauge scoreGauge;
    private final @Nullable MartyGauge componentGauge;
    private final @Nullable MartyGauge inputGauge;
    private final @Nullable MartyGauge baselineGauge;
    private final @Nullable MartyGauge weightGauge;

    private BusinessHealth(Builder b) {
        this.weights = Map.copyOf(b.weights);
        this.maxErrorRate = b.maxErrorRate;
        this.latencyObjective = b.latencyObjective;
        if (b.metrics != null) {
            this.scoreGauge = b.metrics.gauge("business_health_score", "Business health score, 0-100");
            this.componentGauge = b.metrics.gauge(
                    "business_health_component_score", "Business health sub-score per component, 0-100", "component");
            this.inputGauge = b.metrics.gauge(
                    "business_health_component_input",
                    "Business health input per component (NaN when missing)",
                    "component");
            this.baselineGauge = b.metrics.gauge(
                    "business_health_component_baseline",
                    "What each health input is compared with: baseline, maximum error rate or latency objective",
                    "component");
            this.weightGauge = b.metrics.gauge(
                    "business_health_component_weight",
                    "Weight of each health component after sharing out the missing ones' (0 when missing)",
                    "component");
        } else {
            this.scoreGauge = null;
            this.componentGauge = null;
            this.inputGauge = null;
            this.baselineGauge = null;
            this.weightGauge = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The weight of each component (they sum to 1). */
    public Map<Component, Double> weights() {
        return weights;
    }

    /**
     * Scores {@code in}; sets {@code mmf_business_health_score} and the component gauges ({@code
     * mmf_business_health_component_score}, {@code _input}, {@code _baseline}, {@code _weight}) when
     * metrics are set.
     */
    public Score score(Inputs in) {
        List<ComponentScore> parts = new ArrayList<>();
        parts.add(ratio(Component.REVENUE, in.revenue, in.revenueBaseline));
        parts.add(ratio(Component.CONVERSION, in.conversion, in.conversionBaseline));
        parts.add(errorRate(in.errorRate));
        parts.add(latency(in.latencyCompliance));
        parts.add(ratio(Component.ENGAGEMENT, in.engagement, in.engagementBaseline));
        double present = 0;
        for (ComponentScore c : parts) {
            if (!c.missing()) {
                present += c.weight();
            }
        }
        List<ComponentScore> out = new ArrayList<>();
        double total = 0;
        for (ComponentScore c : parts) {
            double effective = c.missing() || present == 0 ? 0 : c.weight() / present;
            ComponentScore e = new ComponentScore(
                    c.component(), c.input(), c.baseline(), c.subScore(), c.weight(), effective, c.explanation());
            out.add(e);
            if (!c.missing()) {
                total += effective * c.subScore();
            }
        }
        Score s = new Score(present == 0 ? Double.NaN : total, out);
        if (scoreGauge != null
                && componentGauge != null
                && inputGauge != null
                && baselineGauge != null
                && weightGauge != null) {
            scoreGauge.set(s.value());
            for (ComponentScore c : out) {
                String label = c.component().label();
                componentGauge.labels(label).set(c.missing() ? Double.NaN : c.subScore());
                inputGauge.labels(label).set(c.input() == null ? Double.NaN : c.input());
                baselineGauge.labels(label).set(c.baseline() == null ? Double.NaN : c.baseline());
                weightGauge.labels(label).set(c.effectiveWeight());
            }
        }
        return s;
    }

    private ComponentScore ratio(Component c, @Nullable Double input, @Nullable Double baseline) {
        double w = weights.get(c);
        if (input == null || baseline == null || !(baseline > 0) || Double.isNaN(input)) {
            String why = input == null || Double.isNaN(input) ? "no input" : "no baseline";
            return new ComponentScore(c, input, baseline, Double.NaN, w, 0, "missing: " + why);
        }
        double sub = 100 * Math.max(0, Math.min(1, input / baseline));
        return new ComponentScore(
                c,
                input,
                baseline,
                sub,
                w,
                0,
                String.format(java.util.Locale.ROOT, "%.4g of baseline %.4g", input, baseline));
    }

    private ComponentScore errorRate(@Nullable Double rate) {
        double w = weights.get(Component.ERROR_RATE);
        if (rate == null || Double.isNaN(rate)) {
            return new ComponentScore(Component.ERROR_RATE, rate, maxErrorRate, Double.NaN, w, 0, "missing: no input");
        }
        double sub = 100 * Math.max(0, 1 - rate / maxErrorRate);
        return new ComponentScore(
                Component.ERROR_RATE,
                rate,
                maxErrorRate,
                sub,
                w,
                0,
                String.format(java.util.Locale.ROOT, "error rate %.4g against a maximum of %.4g", rate, maxErrorRate));
    }

    private ComponentScore latency(@Nullable Double compliance) {
        double w = weights.get(Component.LATENCY);
        if (compliance == null || Double.isNaN(compliance)) {
            return new ComponentScore(
                    Component.LATENCY, compliance, latencyObjective, Double.NaN, w, 0, "missing: no input");
        }
        double sub = 100 * Math.max(0, Math.min(1, compliance / latencyObjective));
        return new ComponentScore(
                Component.LATENCY,
                compliance,
                latencyObjective,
                sub,
                w,
                0,
                String.format(
                        java.util.Locale.ROOT,
                        "%.4g within the latency SLO (objective %.4g)",
                        compliance,
                        latencyObjective));
    }

    /**
     * Inputs read from {@code m}'s series over {@code window}: revenue ({@code revenue} sum) and
     * conversion ({@code conversion.<funnel>}) against the same window {@code baselineOffset} earlier,
     * error rate ({@code orders_failed / orders}), latency compliance ({@code order_within_slo} mean),
     * engagement ({@code sessions} count against the same window {@code baselineOffset} earlier). A
     * series with no data in the window is a missing input.
     */
    public static Inputs inputsFrom(
            BusinessMetrics m, @Nullable String funnel, Duration window, Duration baselineOffset) {
        Inputs.Builder b = Inputs.builder();
        double rev = m.aggregate("revenue", Aggregation.COUNT, window, Duration.ZERO) > 0
                ? m.aggregate("revenue", Aggregation.SUM, window, Duration.ZERO)
                : Double.NaN;
        double revBase = m.aggregate("revenue", Aggregation.SUM, window, baselineOffset);
        if (!Double.isNaN(rev) && revBase > 0) {
            b.revenue(rev, revBase);
        }
        if (funnel != null) {
            double conv = m.aggregate("conversion." + funnel, Aggregation.COUNT, window, Duration.ZERO);
            double convBase = m.aggregate("conversion." + funnel, Aggregation.COUNT, window, baselineOffset);
            if (!Double.isNaN(conv) && convBase > 0) {
                b.conversion(conv, convBase);
            }
        }
        double orders = m.aggregate("orders", Aggregation.COUNT, window, Duration.ZERO);
        if (orders > 0) {
            b.errorRate(m.aggregate("orders_failed", Aggregation.COUNT, window, Duration.ZERO) / orders);
            b.latencyCompliance(m.aggregate("order_within_slo", Aggregation.AVG, window, Duration.ZERO));
        }
        double sessions = m.aggregate("sessions", Aggregation.COUNT, window, Duration.ZERO);
        double sessionsBase = m.aggregate("sessions", Aggregation.COUNT, window, baselineOffset);
        if (sessions > 0 && sessionsBase > 0) {
            b.engagement(sessions, sessionsBase);
        }
        return b.build();
    }

    /**
     * One component of a score.
     *
     * @param component which component
     * @param input the observed value, or null when missing
     * @param baseline what it is compared with (baseline, maximum error rate or latency objective)
     * @param subScore 0–100, NaN when missing
     * @param weight the configured weight
     * @param effectiveWeight the weight after redistributing missing components (0 when missing)
     * @param explanation in words
     */
    public record ComponentScore(
            Component component,
            @Nullable Double input,
            @Nullable Double baseline,
            double subScore,
            double weight,
            double effectiveWeight,
            String explanation) {
        public boolean missing() {
            return Double.isNaN(subScore);
        }
    }

    /**
     * A health score.
     *
     * @param value 0–100, NaN when every input was missing
     * @param components every component, missing ones included
     */
    public record Score(double value, List<ComponentScore> components) {
        public Score {
            components = List.copyOf(components);
        }

        /** The components reported as missing. */
        public List<Component> missing() {
            List<Component> out = new ArrayList<>();
            for (ComponentScore c : components) {
                if (c.missing()) {
                    out.add(c.component());
                }
            }
            return out;
        }
    }

    /** The inputs of a score; anything not set is missing. */
    public static final class Inputs {
        final @Nullable Double revenue;
        final @Nullable Double revenueBaseline;
        final @Nullable Double conversion;
        final @Nullable Double conversionBaseline;
        final @Nullable Double errorRate;
        final @Nullable Double latencyCompliance;
        final @Nullable Double engagement;
        final @Nullable Double engagementBaseline;

        private Inputs(Builder b) {
            this.revenue = b.revenue;
            this.revenueBaseline = b.revenueBaseline;
            this.conversion = b.conversion;
            this.conversionBaseline = b.conversionBaseline;
            this.errorRate = b.errorRate;
            this.latencyCompliance = b.latencyCompliance;
            this.engagement = b.engagement;
            this.engagementBaseline = b.engagementBaseline;
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Builder for {@link Inputs}. */
        public static final class Builder {
            private @Nullable Double revenue;
            private @Nullable Double revenueBaseline;
            private @Nullable Double conversion;
            private @Nullable Double conversionBaseline;
            private @Nullable Double errorRate;
            private @Nullable Double latencyCompliance;
            private @Nullable Double engagement;
            private @Nullable Double engagementBaseline;

            private Builder() {}

            /** Revenue over the window and its baseline (same unit). */
            public Builder revenue(double current, double baseline) {
                this.revenue = current;
                this.revenueBaseline = baseline;
                return this;
            }

            /** Conversion rate and its baseline. */
            public Builder conversion(double current, double baseline) {
                this.conversion = current;
                this.conversionBaseline = baseline;
                return this;
            }

            /** Share of failed orders/transactions, 0–1. */
            public Builder errorRate(double rate) {
                this.errorRate = rate;
                return this;
            }

            /** Share of orders within the latency SLO, 0–1. */
            public Builder latencyCompliance(double compliance) {
                this.latencyCompliance = compliance;
                return this;
            }

            /** Engagement (active users or sessions) and its baseline. */
            public Builder engagement(double current, double baseline) {
                this.engagement = current;
                this.engagementBaseline = baseline;
                return this;
            }

            public Inputs build() {
                return new Inputs(this);
            }
        }
    }

    /** Builder for {@link BusinessHealth}. */
    public static final class Builder {
        private final Map<Component, Double> weights = new LinkedHashMap<>();
        private double maxErrorRate = 0.05;
        private double latencyObjective = 0.99;
        private @Nullable MartyMetrics metrics;

        private Builder() {
            weights.put(Component.REVENUE, 0.30);
            weights.put(Component.CONVERSION, 0.25);
            weights.put(Component.ERROR_RATE, 0.20);
            weights.put(Component.LATENCY, 0.15);
            weights.put(Component.ENGAGEMENT, 0.10);
        }

        /** Weight of {@code c} (non-negative); the weights are normalised to sum to 1 at build. */
        public Builder weight(Component c, double w) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight of " + c.label() + " must be >= 0, got " + w);
            }
            weights.put(Objects.requireNonNull(c, "component"), w);
            return this;
        }

        /** Error rate that scores 0 (default 0.05). */
        public Builder maxErrorRate(double r) {
            if (!(r > 0 && r <= 1)) {
                throw new IllegalArgumentException("maxErrorRate must be in (0, 1], got " + r);
            }
            this.maxErrorRate = r;
            return this;
        }

        /** Latency SLO objective that scores 100 (default 0.99). */
        public Builder latencyObjective(double o) {
            if (!(o > 0 && o <= 1)) {
                throw new IllegalArgumentException("latencyObjective must be in (0, 1], got " + o);
            }
            this.latencyObjective = o;
            return this;
        }

        /**
         * Exposes {@code mmf_business_health_score} and, labelled by {@code component}, {@code
         * mmf_business_health_component_score}, {@code _input}, {@code _baseline} and {@code _weight}
         * (the effective weight).
         */
        public Builder metrics(@Nullable MartyMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        public BusinessHealth build() {
            double sum = 0;
            for (double w : weights.values()) {
                sum += w;
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("health weights must not all be 0");
            }
            for (Map.Entry<Component, Double> e : weights.entrySet()) {
                e.setValue(e.getValue() / sum);
            }
            return new BusinessHealth(this);
        }
    }
}
