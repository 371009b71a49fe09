package io.marty.observability.slo;

import io.marty.observability.core.json.JsonWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of one SLO computed by {@link SloTracker}.
 *
 * @param slo the SLO
 * @param at evaluation time
 * @param periodStart start of the compliance period (now − window, or the calendar period start)
 * @param totalEvents events in the period
 * @param badEvents bad events in the period
 * @param compliance good / total in the period (NaN without events)
 * @param budgetRemaining share of the error budget left, {@code 1 − errorRatio / (1 − objective)} (1 without
 *     events, negative when overspent)
 * @param budgetRemainingEvents bad events still allowed in the period, {@code budget × total − bad}
 * @param burnRates burn rate per alert window ({@code errorRatio / (1 − objective)}, NaN without events)
 * @param errorRatios error ratio per alert window
 * @param tiers state of each multi-window burn-rate tier
 * @param projectedExhaustion when the budget runs out at the current (1h, or shortest long window) burn
 *     rate; null when not burning, {@code at} when already exhausted
 */
public record SloStatus(
        Slo slo,
        Instant at,
        Instant periodStart,
        long totalEvents,
        long badEvents,
        double compliance,
        double budgetRemaining,
        double budgetRemainingEvents,
        Map<Duration, Double> burnRates,
        Map<Duration, Double> errorRatios,
        List<TierState> tiers,
        @Nullable Instant projectedExhaustion) {

    /**
     * One alert tier evaluated now.
     *
     * @param tier the tier
     * @param threshold error-ratio threshold
     * @param longRatio error ratio over the long window
     * @param shortRatio error ratio over the short window
     * @param firing both ratios above the threshold
     */
    public record TierState(BurnRateTier tier, double threshold, double longRatio, double shortRatio, boolean firing) {}

    /** True when any tier of {@code severity} fires. */
    public boolean firing(String severity) {
        return tiers.stream().anyMatch(t -> t.firing() && t.tier().severity().equals(severity));
    }

    /** {@code exhausted}, {@code page}, {@code ticket} or {@code ok}. */
    public String state() {
        if (totalEvents > 0 && budgetRemaining <= 0) {
            return "exhausted";
        }
        if (firing("page")) {
            return "page";
        }
        return firing("ticket") ? "ticket" : "ok";
    }

    /** Burn rate over {@code window} if the tracker computed it, else NaN. */
    public double burnRate(Duration window) {
        return burnRates.getOrDefault(window, Double.NaN);
    }

    void writeJson(JsonWriter j) {
        j.beginObject()
                .field("id", slo.id())
                .field("service", slo.service())
                .field("name", slo.name())
                .field("sli", slo.sli().type().id())
                .field("description", slo.description())
                .field("priority", slo.priority().id())
                .field("objective", slo.objective())
                .field("window", slo.window().id())
                .field("at", at.toString())
                .field("period_start", periodStart.toString())
                .field("state", state())
                .field("total_events", totalEvents)
                .field("bad_events", badEvents)
                .field("compliance", compliance)
                .field("error_budget", slo.errorBudget())
                .field("error_budget_remaining_ratio", budgetRemaining)
                .field("error_budget_remaining_events", budgetRemainingEvents)
                .field("projected_exhaustion", projectedExhaustion == null ? null : projectedExhaustion.toString());
        j.name("burn_rates").beginObject();
        burnRates.forEach((w, v) -> j.field(PrometheusDurations.format(w), v));
        j.endObject();
        j.name("alerts").beginArray();
        for (TierState t : tiers) {
            j.beginObject()
                    .field("severity", t.tier().severity())
                    .field("long_window", PrometheusDurations.format(t.tier().longWindow()))
                    .field("short_window", PrometheusDurations.format(t.tier().shortWindow()))
                    .field("factor", t.tier().factor())
                    .field("threshold", t.threshold())
                    .field("long_error_ratio", t.longRatio())
                    .field("short_error_ratio", t.shortRatio())
                    .field("firing", t.firing())
                    .endObject();
        }
        j.endArray();
        j.endObject();
    }

    /** This status as a JSON object. */
    public String toJson() {
        JsonWriter j = new JsonWriter();
        writeJson(j);
        return j.toString();
    }
}
