package io.marty.observability.slo;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Exposes an {@link SloTracker} as Prometheus metrics, computed at scrape time. Labels are bounded by the
 * configured SLOs ({@code service}, {@code slo}) plus a fixed set ({@code window} from the alert windows,
 * {@code severity} page/ticket, {@code result} good/bad):
 *
 * <ul>
 *   <li>{@code mmf_slo_objective_ratio{service,slo}} target ratio;
 *   <li>{@code mmf_slo_compliance_ratio{service,slo}} good/total over the SLO period (absent without
 *       events);
 *   <li>{@code mmf_slo_error_budget_remaining_ratio{service,slo}} share of the budget left;
 *   <li>{@code mmf_slo_burn_rate{service,slo,window}} burn rate per alert window;
 *   <li>{@code mmf_slo_alert_firing{service,slo,severity}} 1 while a burn-rate tier of that severity fires;
 *   <li>{@code mmf_slo_events_total{service,slo,result}} events counted since start.
 * </ul>
 *
 * <pre>{@code
 * SloMetrics.register(tracker, PrometheusRegistry.defaultRegistry);
 * }</pre>
 */
public final class SloMetrics {
    public static final String OBJECTIVE = "mmf_slo_objective_ratio";
    public static final String COMPLIANCE = "mmf_slo_compliance_ratio";
    public static final String BUDGET_REMAINING = "mmf_slo_error_budget_remaining_ratio";
    public static final String BURN_RATE = "mmf_slo_burn_rate";
    public static final String ALERT_FIRING = "mmf_slo_alert_firing";
    public static final String EVENTS = "mmf_slo_events_total";

    private SloMetrics() {}

    /** Registers the metrics for {@code tracker} with {@code registry}. */
    public static void register(SloTracker tracker, PrometheusRegistry registry) {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(registry, "registry");
        GaugeWithCallback.builder()
                .name(OBJECTIVE)
                .help("SLO target ratio of good events")
                .labelNames("service", "slo")
                .callback(cb -> tracker.slos().forEach(s -> cb.call(s.objective(), s.service(), s.name())))
                .register(registry);
        GaugeWithCallback.builder()
                .name(COMPLIANCE)
                .help("Good events / all events over the SLO period")
                .labelNames("service", "slo")
                .callback(cb -> statuses(tracker).forEach(st -> {
                    if (st.totalEvents() > 0) {
                        cb.call(st.compliance(), st.slo().service(), st.slo().name());
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name(BUDGET_REMAINING)
                .help("Share of the SLO error budget left over the period (negative when overspent)")
                .labelNames("service", "slo")
                .callback(cb -> statuses(tracker)
                        .forEach(st -> cb.call(
                                st.budgetRemaining(),
                                st.slo().service(),
                                st.slo().name())))
                .register(registry);
        GaugeWithCallback.builder()
                .name(BURN_RATE)
                .help("Error ratio over the window divided by the error budget (1 = budget lasts the period)")
                .labelNames("service", "slo", "window")
                .callback(cb -> statuses(tracker).forEach(st -> {
                    for (var e : st.burnRates().entrySet()) {
                        if (!Double.isNaN(e.getValue())) {
                            cb.call(
                                    e.getValue(),
                                    st.slo().service(),
                                    st.slo().name(),
                                    PrometheusDurations.format(e.getKey()));
                        }
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name(ALERT_FIRING)
                .help("1 while a multi-window burn-rate tier of this severity fires")
                .labelNames("service", "slo", "severity")
                .callback(cb -> statuses(tracker).forEach(st -> {
                    for (String sev : List.of("page", "ticket")) {
                        if (!st.slo().alertPolicy().tiers(sev).isEmpty()) {
                            cb.call(
                                    st.firing(sev) ? 1 : 0,
                                    st.slo().service(),
                                    st.slo().name(),
                                    sev);
                        }
                    }
                }))
                .register(registry);
        CounterWithCallback.builder()
                .name(EVENTS)
                .help("Events counted against the SLO since start, by result")
                .labelNames("service", "slo", "result")
                .callback(cb -> tracker.slos().forEach(s -> {
                    long[] c = tracker.cumulative(s.id());
                    cb.call(c[0] - c[1], s.service(), s.name(), "good");
                    cb.call(c[1], s.service(), s.name(), "bad");
                }))
                .register(registry);
    }

    private static List<SloStatus> statuses(SloTracker tracker) {
        try {
            return tracker.statuses();
        } catch (RuntimeException e) {
            // never fail a scrape because of one SLO
            return List.of();
        }
    }
}
