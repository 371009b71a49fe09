package io.marty.observability.slo;

import io.marty.observability.slo.internal.Decimals;
import java.time.Duration;
import java.util.Objects;

/**
 * One multi-window burn-rate condition: the error ratio must exceed {@code factor × (1 − objective)} over
 * both the long and the short window (SRE Workbook, "Alerting on SLOs").
 *
 * @param severity {@code page} or {@code ticket}
 * @param longWindow the window that sets the budget consumed before alerting
 * @param shortWindow the window that makes the alert reset quickly (about 1/12 of the long one)
 * @param factor burn-rate factor (14.4 means the budget would last period/14.4)
 */
public record BurnRateTier(String severity, Duration longWindow, Duration shortWindow, double factor) {
    public BurnRateTier {
        Objects.requireNonNull(severity, "severity");
        if (!severity.equals("page") && !severity.equals("ticket")) {
            throw new SloSpecException("severity", "'" + severity + "' is not page or ticket");
        }
        if (longWindow.getSeconds() % 60 != 0 || shortWindow.getSeconds() % 60 != 0) {
            throw new SloSpecException("window", "alert windows must be whole minutes");
        }
        if (shortWindow.compareTo(longWindow) >= 0) {
            throw new SloSpecException(
                    "shortWindow",
                    "short window " + PrometheusDurations.format(shortWindow) + " must be shorter than the long window "
                            + PrometheusDurations.format(longWindow));
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new SloSpecException("factor", "burn-rate factor must be positive, got " + factor);
        }
    }

    /** Share of the period's budget consumed when this tier fires at its threshold: factor × long / period. */
    public double budgetConsumed(SloWindow window) {
        return factor * longWindow.getSeconds() / (double) window.length().getSeconds();
    }

    /**
     * Error-ratio threshold {@code factor × errorBudget} as an exact decimal string ({@code 0.0144}); the
     * generated rules and the in-process tracker both compare against this value.
     */
    public String thresholdLiteral(double errorBudget) {
        return Decimals.dec(factor)
                .multiply(Decimals.dec(errorBudget))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** The threshold as a double, parsed from {@link #thresholdLiteral(double)}. */
    public double threshold(double errorBudget) {
        return Double.parseDouble(thresholdLiteral(errorBudget));
    }

    /** e.g. {@code 14.4x over 1h and 5m}. */
    public String describe() {
        return Decimals.num(factor) + "x over " + PrometheusDurations.format(longWindow) + " and "
                + PrometheusDurations.format(shortWindow);
    }
}
