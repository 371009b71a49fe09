package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.internal.BoundedMap;
import io.marty.observability.loganalysis.internal.Condition;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code type: slow_requests}: keeps the durations of performance/access events per group (default
 * service) and fires when the {@code percentile} (default 95) of the samples inside the window
 * exceeds {@code threshold} milliseconds (default 1000), given at least {@code min_samples} (default
 * 20) samples. Durations come from the first of {@code duration_paths} (default {@code
 * fields.duration_ms, fields.response_time_ms, fields.latency_ms}); at most {@code max_samples}
 * (default 1024) recent samples per group are kept.
 */
final class SlowRequestDetector extends AbstractDetector {
    private final double percentile;
    private final double thresholdMs;
    private final int minSamples;
    private final int maxSamples;
    private final String[] durationPaths;
    private final BoundedMap<String, Samples> samples;

    /** Ring of (time, value) samples. */
    private static final class Samples {
        final long[] times;
        final double[] values;
        int next;
        int size;

        Samples(int n) {
            times = new long[n];
            values = new double[n];
        }

        void add(long t, double v) {
            times[next] = t;
            values[next] = v;
            next = (next + 1) % times.length;
            size = Math.min(size + 1, times.length);
        }
    }

    SlowRequestDetector(RuleSpec rule) {
        super(rule);
        this.percentile = rule.param("percentile", 95);
        this.thresholdMs = rule.threshold(1000);
        this.minSamples = (int) rule.param("min_samples", 20);
        this.maxSamples = (int) rule.param("max_samples", 1024);
        this.durationPaths = rule.listParam(
                        "duration_paths", List.of("fields.duration_ms", "fields.response_time_ms", "fields.latency_ms"))
                .toArray(new String[0]);
        if (percentile <= 0
                || percentile >= 100
                || thresholdMs <= 0
                || minSamples < 1
                || maxSamples < minSamples
                || maxSamples > 100_000) {
            throw new IllegalArgumentException("rule '" + rule.name() + "': needs percentile in (0,100) (got "
                    + percentile + "), threshold > 0 ms (got " + thresholdMs + "), 1 <= min_samples <= max_samples"
                    + " <= 100000 (got " + minSamples + ", " + maxSamples + ")");
        }
        this.samples = new BoundedMap<>(rule.maxKeys());
    }

    @Override
    public void onEvent(LogEvent e, Template t, long now, Consumer<Alert> out) {
        double d = Double.NaN;
        for (String p : durationPaths) {
            d = e.number(p);
            if (!Double.isNaN(d)) {
                break;
            }
        }
        if (Double.isNaN(d) || d < 0 || !rule.matches(e)) {
            return;
        }
        String group = groupValue(e, t);
        Samples s = samples.computeIfAbsent(group, k -> new Samples(maxSamples));
        s.add(now, d);
        // The percentile can only rise above the threshold when a sample above it arrives.
        if (d <= thresholdMs) {
            return;
        }
        int inWindow = 0;
        int atOrBelow = 0;
        for (int i = 0; i < s.size; i++) {
            if (now - s.times[i] < windowMillis) {
                inWindow++;
                if (s.values[i] <= thresholdMs) {
                    atOrBelow++;
                }
            }
        }
        // Nearest-rank percentile is above the threshold iff fewer than rank samples are at or below it.
        int rank = (int) Math.ceil(percentile / 100.0 * inWindow);
        if (inWindow < minSamples || atOrBelow >= rank) {
            return;
        }
        final int n = inWindow;
        fire(group, now, out, () -> {
            double[] vals = new double[n];
            int j = 0;
            for (int i = 0; i < s.size; i++) {
                if (now - s.times[i] < windowMillis) {
                    vals[j++] = s.values[i];
                }
            }
            Arrays.sort(vals);
            double p = vals[Math.max(0, rank - 1)];
            String what = describeGroup(group, t);
            String explanation = String.format(
                    "p%s latency of %s is %s ms over %d requests in the last %s, above the %s ms threshold"
                            + " (%d of %d requests slower; max %s ms)",
                    Condition.fmt(percentile),
                    what,
                    Condition.fmt(p),
                    n,
                    window(),
                    Condition.fmt(thresholdMs),
                    n - (int) Arrays.stream(vals).filter(v -> v <= thresholdMs).count(),
                    n,
                    Condition.fmt(vals[n - 1]));
            return alert(
                    e.service(),
                    key(groupLabel(), group),
                    p,
                    thresholdMs,
                    now,
                    rule.name() + ": slow requests on " + what,
                    explanation,
                    e);
        });
    }

    @Override
    protected long stateEvictions() {
        return samples.evictions();
    }
}
