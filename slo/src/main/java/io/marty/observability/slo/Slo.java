package io.marty.observability.slo;

import io.marty.observability.slo.internal.Decimals;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A service level objective: an indicator, a target ratio over a window, a priority and an alerting
 * policy. Immutable; built with {@link #builder(String, String)} or loaded with {@link SloLoader}.
 *
 * <pre>{@code
 * Slo slo = Slo.builder("checkout", "availability")
 *     .sli(Sli.availability())
 *     .objectivePercent(99.9)
 *     .window(SloWindow.parse("30d"))
 *     .priority(SloPriority.CRITICAL)
 *     .build();
 * }</pre>
 */
public final class Slo {
    /**
     * Bucket bounds of {@code mmf_request_duration_seconds} (DESIGN.md). A latency threshold must be one of
     * them for Prometheus to count it exactly.
     */
    public static final List<Double> DURATION_BUCKETS = java.util.Arrays.stream(
                    io.marty.observability.core.metrics.RedMetrics.DURATION_BUCKETS)
            .boxed()
            .toList();

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");

    private final String service;
    private final String name;
    private final String description;
    private final Sli sli;
    private final double objective;
    private final SloWindow window;
    private final SloPriority priority;
    private final AlertPolicy alertPolicy;
    private final Map<String, String> labels;

    private Slo(Builder b) {
        this.service = b.service;
        this.name = b.name;
        this.description = b.description;
        this.sli = b.sli;
        this.objective = b.objective;
        this.window = b.window;
        this.priority = b.priority;
        this.alertPolicy = b.alertPolicy != null ? b.alertPolicy : AlertPolicy.workbookDefaults(b.window);
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    }

    public static Builder builder(String service, String name) {
        return new Builder().service(service).name(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder()
                .service(service)
                .name(name)
                .description(description)
                .sli(sli)
                .objective(objective)
                .window(window)
                .priority(priority)
                .alertPolicy(alertPolicy);
        b.labels.putAll(labels);
        return b;
    }

    public String service() {
        return service;
    }

    public String name() {
        return name;
    }

    /** {@code service/name}, unique within a set of SLOs. */
    public String id() {
        return service + "/" + name;
    }

    public String description() {
        return description;
    }

    public Sli sli() {
        return sli;
    }

    /** Target ratio of good events, e.g. 0.999. */
    public double objective() {
        return objective;
    }

    /** {@code 1 − objective}, computed in decimal (0.001, not 0.0010000000000000009). */
    public double errorBudget() {
        return Decimals.dec(1).subtract(Decimals.dec(objective)).doubleValue();
    }

    public SloWindow window() {
        return window;
    }

    public SloPriority priority() {
        return priority;
    }

    public AlertPolicy alertPolicy() {
        return alertPolicy;
    }

    /** Extra labels copied to recording rules and alerts. */
    public Map<String, String> labels() {
        return labels;
    }

    /**
     * Problems that do not prevent use: a latency threshold that is not a bucket bound (naming the buckets
     * to add or the nearest bounds), burn-rate tiers that can never fire because {@code factor × budget ≥ 1},
     * calendar windows that Prometheus approximates with a rolling window.
     */
    public List<SloWarning> warnings() {
        List<SloWarning> out = new ArrayList<>();
        if (sli.type() == SliType.LATENCY) {
            double th = sli.latencyThresholdSeconds();
            if (!DURATION_BUCKETS.contains(th)) {
                Double below = null;
                Double above = null;
                for (double b : DURATION_BUCKETS) {
                    if (b < th) {
                        below = b;
                    } else if (above == null) {
                        above = b;
                    }
                }
                out.add(new SloWarning(
                        id(),
                        "threshold",
                        "latency threshold " + Decimals.num(th) + "s is not a bucket bound of"
                                + " mmf_request_duration_seconds " + bucketList()
                                + "; Prometheus can only count requests up to a bucket bound, so add the bucket "
                                + Decimals.num(th) + " to the histogram"
                                + (below != null || above != null
                                        ? " or use the nearest bound "
                                                + (below != null ? Decimals.num(below) + "s" : "")
                                                + (below != null && above != null ? " or " : "")
                                                + (above != null ? Decimals.num(above) + "s" : "")
                                        : "")
                                + " (the generated rules use le=\"" + leLabel(th) + "\")"));
            }
        }
        double budget = errorBudget();
        for (BurnRateTier t : alertPolicy.tiers()) {
            if (t.factor() * budget >= 1) {
                out.add(new SloWarning(
                        id(),
                        "objective",
                        t.severity() + " tier " + t.describe() + " can never fire: its threshold "
                                + Decimals.num(t.factor()) + " x " + Decimals.num(budget)
                                + " is an error ratio of 100% or more; raise the objective or lower the factor"));
            }
        }
        if (window.isCalendar()) {
            out.add(new SloWarning(
                    id(),
                    "window",
                    "calendar window '" + window.id() + "' is tracked exactly in-process; Prometheus rules use a"
                            + " rolling " + PrometheusDurations.format(window.length())
                            + " window for the period budget"));
        }
        return out;
    }

    private static String bucketList() {
        return Arrays.toString(DURATION_BUCKETS.stream().map(Decimals::num).toArray());
    }

    /**
     * The {@code le} label value client_java writes for a bucket bound (Java's {@code Double.toString}:
     * {@code 0.5}, {@code 1.0}, {@code 10.0}).
     */
    public static String leLabel(double bound) {
        return Double.toString(bound);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Slo s
                && s.service.equals(service)
                && s.name.equals(name)
                && Objects.equals(s.description, description)
                && s.sli.equals(sli)
                && Double.compare(s.objective, objective) == 0
                && s.window.equals(window)
                && s.priority == priority
                && s.alertPolicy.equals(alertPolicy)
                && s.labels.equals(labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, name, sli, objective, window);
    }

    @Override
    public String toString() {
        return id() + ": " + sli + " " + Decimals.num(objective * 100) + "% over " + window + " (" + priority.id()
                + ")";
    }

    /** Builder; {@link #build()} validates every field and throws {@link SloSpecException} naming it. */
    public static final class Builder {
        private String service;
        private String name;
        private String description = "";
        private Sli sli = Sli.availability();
        private double objective = Double.NaN;
        private SloWindow window = SloWindow.rolling(java.time.Duration.ofDays(30));
        private SloPriority priority = SloPriority.MEDIUM;
        private AlertPolicy alertPolicy;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder() {}

        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder description(@Nullable String description) {
            this.description = description == null ? "" : description;
            return this;
        }

        public Builder sli(Sli sli) {
            this.sli = Objects.requireNonNull(sli, "sli");
            return this;
        }

        /** Target as a ratio in (0, 1), e.g. 0.999. */
        public Builder objective(double ratio) {
            if (!(ratio > 0 && ratio < 1)) {
                throw new SloSpecException(
                        "objective",
                        "target " + Decimals.num(ratio) + " must be a ratio above 0 and below 1 (e.g. 0.999)");
            }
            this.objective = ratio;
            return this;
        }

        /** Target in percent in (0, 100), e.g. 99.9. */
        public Builder objectivePercent(double percent) {
            if (!(percent > 0 && percent < 100)) {
                throw new SloSpecException(
                        "objective", "target " + Decimals.num(percent) + "% must be above 0% and below 100%");
            }
            this.objective = Decimals.dec(percent).movePointLeft(2).doubleValue();
            return this;
        }

        public Builder window(SloWindow window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        public Builder priority(SloPriority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /** Alerting; defaults to {@link AlertPolicy#workbookDefaults(SloWindow)} for the window. */
        public Builder alertPolicy(@Nullable AlertPolicy policy) {
            this.alertPolicy = policy;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Slo build() {
            if (service == null || service.isBlank()) {
                throw new SloSpecException("service", "missing service name (every SLO belongs to one service)");
            }
            if (service.indexOf('"') >= 0 || service.indexOf('\\') >= 0 || service.indexOf('\n') >= 0) {
                throw new SloSpecException(
                        "service", "'" + service + "' must not contain quotes, backslashes or newlines");
            }
            if (name == null || !NAME.matcher(name).matches()) {
                throw new SloSpecException(
                        "name",
                        "'" + name + "' must be 1-63 lower-case letters, digits, '_', '.' or '-', starting and"
                                + " ending with a letter or digit");
            }
            if (Double.isNaN(objective)) {
                throw new SloSpecException("objective", "missing target (e.g. 99.9%)");
            }
            for (Map.Entry<String, String> e : labels.entrySet()) {
                if (!e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*")
                        || List.of("service", "slo", "slo_window", "severity", "priority", "alertname")
                                .contains(e.getKey())) {
                    throw new SloSpecException("labels", "label name '" + e.getKey() + "' is invalid or reserved");
                }
                if (e.getValue() == null
                        || e.getValue().indexOf('"') >= 0
                        || e.getValue().indexOf('\\') >= 0) {
                    throw new SloSpecException("labels." + e.getKey(), "value must not contain quotes or backslashes");
                }
            }
            if (alertPolicy != null) {
                for (BurnRateTier t : alertPolicy.tiers()) {
                    if (t.longWindow().compareTo(window.length()) > 0) {
                        throw new SloSpecException(
                                "alerting",
                                "alert window " + PrometheusDurations.format(t.longWindow())
                                        + " is longer than the SLO window " + window.id());
                    }
                }
            }
            return new Slo(this);
        }
    }
}
