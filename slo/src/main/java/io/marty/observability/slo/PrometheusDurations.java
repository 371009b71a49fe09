package io.marty.observability.slo;

import io.marty.observability.spec.Durations;
import java.time.Duration;

/**
 * Durations written the way Prometheus writes range selectors and rule windows ({@code 5m}, {@code 6h},
 * {@code 30d}): the one formatting used by the generated rules, the {@code window} labels of the SLO
 * metrics and the console's burn-rate columns, so the same window reads the same everywhere.
 *
 * <pre>{@code
 * PrometheusDurations.format(Duration.ofDays(30));    // "30d"
 * PrometheusDurations.format(Duration.ofMinutes(90)); // "90m"
 * }</pre>
 */
public final class PrometheusDurations {
    private PrometheusDurations() {}

    /**
     * Formats whole seconds in the largest unit ({@code d}, {@code h}, {@code m}, {@code s}) that
     * divides the duration exactly ({@link Durations#format}); sub-second parts are dropped, as rule
     * windows are whole seconds.
     */
    public static String format(Duration d) {
        return Durations.format(Duration.ofSeconds(d.getSeconds()));
    }
}
