package io.marty.observability.business;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A KPI or SLA check: an aggregation of a {@link BusinessMetrics} series over a window compared with a
 * threshold.
 *
 * <pre>{@code
 * KpiCheck p95 = KpiCheck.of("order_latency", "order_duration", Aggregation.P95, Duration.ofMinutes(5), Comparison.LE, 1.0);
 * KpiCheck.Result r = p95.evaluate(business);   // r.passed(), r.value(), r.explanation()
 * }</pre>
 *
 * @param name the check's name
 * @param series the series (see {@link BusinessMetrics})
 * @param aggregation how the window is reduced
 * @param window the window ending now
 * @param comparison how the value must compare with the threshold to pass
 * @param threshold the threshold
 */
public record KpiCheck(
        String name, String series, Aggregation aggregation, Duration window, Comparison comparison, double threshold) {

    public KpiCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(comparison, "comparison");
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("KPI check '" + name + "': window must be positive, got " + window);
        }
    }

    public static KpiCheck of(
            String name,
            String series,
            Aggregation aggregation,
            Duration window,
            Comparison comparison,
            double threshold) {
        return new KpiCheck(name, series, aggregation, window, comparison, threshold);
    }

    /**
     * The outcome of a check.
     *
     * @param check the check
     * @param value the aggregated value (NaN without data)
     * @param passed whether {@code value comparison threshold} holds (false without data)
     * @param explanation in words
     */
    public record Result(KpiCheck check, double value, boolean passed, String explanation) {}

    /** Evaluates the check on {@code metrics} now. */
    public Result evaluate(BusinessMetrics metrics) {
        double v = metrics.aggregate(series, aggregation, window, Duration.ZERO);
        boolean ok = comparison.test(v, threshold);
        String text = String.format(
                Locale.ROOT,
                "%s: %s of %s over %s is %s, required %s %s: %s",
                name,
                aggregation.label(),
                series,
                io.marty.observability.spec.Durations.format(window),
                Double.isNaN(v) ? "no data" : String.format(Locale.ROOT, "%.4g", v),
                comparison.symbol(),
                BusinessRuleGenerator.num(threshold),
                ok ? "pass" : "FAIL");
        return new Result(this, v, ok, text);
    }
}
