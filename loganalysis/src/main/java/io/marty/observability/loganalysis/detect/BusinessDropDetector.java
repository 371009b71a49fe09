package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.internal.BoundedMap;
import io.marty.observability.loganalysis.internal.Condition;
import io.marty.observability.loganalysis.internal.TimeBuckets;
import io.marty.observability.spec.Durations;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code type: business_drop}: sums a business value per group (default service) — revenue from
 * {@code value_path} (default {@code fields.amount}) or, with {@code metric: count}, the number of
 * matching events (conversions) — and fires when the last complete {@code window} falls more than
 * {@code drop_ratio} (default 0.5) below the mean of the previous {@code baseline_windows} (default
 * 4) windows, provided that baseline is at least {@code threshold} (default 1). Evaluated on events
 * and as stream time passes, so revenue stopping entirely is caught too. Only events of category
 * {@code business} count unless {@code category: any}.
 */
final class BusinessDropDetector extends AbstractDetector {
    private static final int SUB_BUCKETS = 5;

    private final boolean countEvents;
    private final String valuePath;
    private final double dropRatio;
    private final int baselineWindows;
    private final double minBaseline;
    private final boolean requireBusinessCategory;
    private final long bucketMillis;
    private final BoundedMap<String, Series> series;

    private static final class Series {
        final TimeBuckets buckets;
        final long firstSeen;
        LogEvent lastEvent;

        Series(TimeBuckets b, long firstSeen) {
            this.buckets = b;
            this.firstSeen = firstSeen;
        }
    }

    BusinessDropDetector(RuleSpec rule) {
        super(rule);
        String metric = rule.stringParam("metric", "sum");
        if (!metric.equals("sum") && !metric.equals("count")) {
            throw new IllegalArgumentException(
                    "rule '" + rule.name() + "': metric must be 'sum' or 'count', got '" + metric + "'");
        }
        this.countEvents = metric.equals("count");
        this.valuePath = rule.stringParam("value_path", "fields.amount");
        this.dropRatio = rule.param("drop_ratio", 0.5);
        this.baselineWindows = (int) rule.param("baseline_windows", 4);
        this.minBaseline = rule.threshold(1);
        this.requireBusinessCategory = !"any".equals(rule.stringParam("category", "business"));
        if (dropRatio <= 0 || dropRatio >= 1 || baselineWindows < 1 || baselineWindows > 1000) {
            throw new IllegalArgumentException("rule '" + rule.name() + "': needs drop_ratio in (0,1) (got " + dropRatio
                    + ") and baseline_windows in 1..1000 (got " + baselineWindows + ")");
        }
        this.bucketMillis = Math.max(1, windowMillis / SUB_BUCKETS);
        this.series = new BoundedMap<>(rule.maxKeys());
    }

    @Override
    public void onEvent(LogEvent e, Template t, long now, Consumer<Alert> out) {
        if (requireBusinessCategory && !"business".equals(e.category())) {
            return;
        }
        if (!rule.matches(e)) {
            return;
        }
        double v = countEvents ? 1 : e.number(valuePath);
        if (Double.isNaN(v)) {
            return;
        }
        String group = groupValue(e, t);
        Series s = series.computeIfAbsent(
                group, k -> new Series(new TimeBuckets(bucketMillis, SUB_BUCKETS * (baselineWindows + 1) + 1), now));
        s.buckets.add(now, v);
        s.lastEvent = e;
        check(group, s, now, out);
    }

    @Override
    public void onTime(long now, Consumer<Alert> out) {
        for (Map.Entry<String, Series> en : series.view().entrySet()) {
            check(en.getKey(), en.getValue(), now, out);
        }
    }

    private void check(String group, Series s, long now, Consumer<Alert> out) {
        // Need the full baseline plus one complete current window after the first value.
        if (now - s.firstSeen < (baselineWindows + 1) * windowMillis + bucketMillis) {
            return;
        }
        s.buckets.advance(now);
        // Skip the partial head bucket: compare complete buckets only.
        double current = s.buckets.sum(1, SUB_BUCKETS);
        double baseline = s.buckets.sum(1 + SUB_BUCKETS, SUB_BUCKETS * baselineWindows) / baselineWindows;
        if (baseline < minBaseline || current >= baseline * (1 - dropRatio)) {
            return;
        }
        fire(group, now, out, () -> {
            String what = countEvents
                    ? "count of " + (rule.hasMatch() ? rule.matchDescription() : "business events")
                    : valuePath.substring(valuePath.lastIndexOf('.') + 1);
            String grp = groupLabel() + " '" + group + "'";
            String explanation = String.format(
                    "%s for %s was %s in the last %s, %.0f%% below the baseline of %s per %s over the previous %s"
                            + " (fires below a %.0f%% drop)",
                    what,
                    grp,
                    Condition.fmt(current),
                    window(),
                    100 * (1 - current / baseline),
                    Condition.fmt(baseline),
                    window(),
                    Durations.format(rule.window().multipliedBy(baselineWindows)),
                    100 * dropRatio);
            String service = s.lastEvent == null ? group : s.lastEvent.service();
            return alert(
                    service,
                    key(groupLabel(), group),
                    current,
                    baseline * (1 - dropRatio),
                    now,
                    rule.name() + ": business drop for " + grp,
                    explanation,
                    s.lastEvent);
        });
    }

    @Override
    protected long stateEvictions() {
        return series.evictions();
    }
}
