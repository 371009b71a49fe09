package io.marty.observability.console;

import java.util.Map;

/**
 * SLO state shown in the console's SLO panel, supplied by an {@link ConsolePanels.SloSource}.
 *
 * @param name SLO name
 * @param service service the SLO belongs to
 * @param objective target ratio, e.g. {@code 0.999}
 * @param sli current good/total ratio over the SLO window (negative when there was no traffic)
 * @param errorBudgetRemaining remaining fraction of the error budget (1 = untouched, negative =
 *     exhausted)
 * @param burnRates burn rate per window name, e.g. {@code "5m" -> 14.2}
 * @param state {@code OK}, {@code WARNING}, {@code CRITICAL} or {@code NO_DATA}
 */
public record ConsoleSloStatus(
        String name,
        String service,
        double objective,
        double sli,
        double errorBudgetRemaining,
        Map<String, Double> burnRates,
        String state) {}
