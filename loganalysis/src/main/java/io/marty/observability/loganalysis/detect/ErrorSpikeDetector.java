package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.LogLevel;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.internal.BoundedMap;
import io.marty.observability.loganalysis.internal.Condition;
import io.marty.observability.loganalysis.internal.TimeBuckets;
import io.marty.observability.spec.Durations;
import java.util.function.Consumer;

/**
 * {@code type: error_spike}: per service ({@code group_by: service}) or per template ({@code group_by:
 * template}), fires when the errors of the last {@code window} reach {@code threshold} (minimum
 * count, default 10) and {@code factor} (default 3) times the mean per window over the previous
 * {@code baseline_windows} (default 6) windows. A key with no errors in the baseline has a baseline
 * of 0, counted as {@code min_baseline} (default 1) so the ratio stays finite. No alert before the
 * stream has lasted one window plus one baseline window.
 */
final class ErrorSpikeDetector extends AbstractDetector {
    private static final int SUB_BUCKETS = 5;

    private final LogLevel minLevel;
    private final double minCount;
    private final double factor;
    private final int baselineWindows;
    private final double minBaseline;
    private final long bucketMillis;
    private final BoundedMap<String, TimeBuckets> counts;
    private long streamStart = Long.MIN_VALUE;

    ErrorSpikeDetector(RuleSpec rule) {
        super(rule);
        this.minLevel = minLevel(rule);
        this.minCount = rule.threshold(10);
        this.factor = rule.param("factor", 3);
        this.baselineWindows = (int) rule.param("baseline_windows", 6);
        this.minBaseline = rule.param("min_baseline", 1);
        if (factor <= 1 || baselineWindows < 1 || baselineWindows > 1000 || minCount < 1) {
            throw new IllegalArgumentException("rule '" + rule.name() + "': needs factor > 1 (got " + factor
                    + "), baseline_windows in 1..1000 (got " + baselineWindows + "), threshold >= 1 (got "
                    + minCount + ")");
        }
        this.bucketMillis = Math.max(1, windowMillis / SUB_BUCKETS);
        this.counts = new BoundedMap<>(rule.maxKeys());
    }

    @Override
    public void onEvent(LogEvent e, Template t, long now, Consumer<Alert> out) {
        if (streamStart == Long.MIN_VALUE) {
            streamStart = now;
        }
        if (!e.level().atLeast(minLevel) || !rule.matches(e)) {
            return;
        }
        String group = groupValue(e, t);
        TimeBuckets b =
                counts.computeIfAbsent(group, k -> new TimeBuckets(bucketMillis, SUB_BUCKETS * (baselineWindows + 1)));
        b.add(now, 1);
        double current = b.sum(0, SUB_BUCKETS);
        if (current < minCount) {
            return;
        }
        // Baseline: whole windows of stream history before the current window, at most baseline_windows.
        long historyWindows = Math.min(baselineWindows, (now - streamStart) / windowMillis - 1);
        if (historyWindows < 1) {
            return;
        }
        double baseline = b.sum(SUB_BUCKETS, (int) historyWindows * SUB_BUCKETS) / historyWindows;
        double reference = Math.max(baseline, minBaseline);
        if (current < factor * reference) {
            return;
        }
        fire(group, now, out, () -> {
            String what = describeGroup(group, t);
            String history = Durations.format(rule.window().multipliedBy(historyWindows));
            String summary = rule.name() + ": error spike from " + what;
            String explanation = String.format(
                    "%s errors (level >= %s) from %s in the last %s, %.1fx the baseline of %s per %s over the"
                            + " previous %s (fires at %sx and at least %s)",
                    Condition.fmt(current),
                    minLevel.label(),
                    what,
                    window(),
                    current / reference,
                    Condition.fmt(baseline),
                    window(),
                    history,
                    Condition.fmt(factor),
                    Condition.fmt(minCount));
            return alert(
                    e.service(), key(groupLabel(), group), current, factor * reference, now, summary, explanation, e);
        });
    }

    @Override
    protected long stateEvictions() {
        return counts.evictions();
    }
}
