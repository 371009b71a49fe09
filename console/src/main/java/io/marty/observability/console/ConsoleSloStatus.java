package io.marty.observability.console;

import java.util.Map;

/**
 * SLO state shown in the console's SLO panel, supplied by an {@link ConsolePanels.SloSource}.
 *
 * <pre>{@code
 * new ConsoleSloStatus("availability", "checkout", 0.999, 0.998, 0.4, Map.of("5m", 2.0, "1h", 1.1), "OK",
 *         Duration.ofDays(30).toSeconds(), observedSeconds, "");
 * }</pre>
 *
 * <p>The console shows how much of each window holds data ({@code observedSeconds} against the SLO
 * window and each burn-rate window) and reports {@code INSUFFICIENT_DATA}, with the reason, instead
 * of a state while the shortest burn-rate window is not yet covered; the error budget is shown only
 * once the whole SLO window is.
 *
 * @param name SLO name
 * @param service service the SLO belongs to
 * @param objective target ratio, e.g. {@code 0.999}
 * @param sli current good/total ratio over the SLO window (negative when there was no traffic)
 * @param errorBudgetRemaining remaining fraction of the error budget (1 = untouched, negative =
 *     exhausted)
 * @param burnRates burn rate per window name ({@code 5m}, {@code 1h}, {@code 3d}...), e.g. {@code "5m" -> 14.2}
 * @param state {@code OK}, {@code WARNING}, {@code CRITICAL}, {@code NO_DATA} or {@code INSUFFICIENT_DATA}
 * @param windowSeconds length of the SLO window (0 when unknown)
 * @param observedSeconds how long data has been observed, at most the window (-1 when unknown: no
 *     coverage is shown)
 * @param reason why the state is {@code NO_DATA} or {@code INSUFFICIENT_DATA}, else empty
 */
public record ConsoleSloStatus(
        String name,
        String service,
        double objective,
        double sli,
        double errorBudgetRemaining,
        Map<String, Double> burnRates,
        String state,
        long windowSeconds,
        long observedSeconds,
        String reason) {

    /** A status without coverage information (the console shows the state as given). */
    public ConsoleSloStatus(
            String name,
            String service,
            double objective,
            double sli,
            double errorBudgetRemaining,
            Map<String, Double> burnRates,
            String state) {
        this(name, service, objective, sli, errorBudgetRemaining, burnRates, state, 0, -1, "");
    }
}
