package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.internal.BoundedMap;
import io.marty.observability.spec.Durations;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code type: threshold}: fires when at least {@code threshold} events satisfying {@code match}
 * arrive within {@code window} for one {@code group_by} value. The five built-in log rules are of
 * this type.
 */
final class ThresholdDetector extends AbstractDetector {
    private final int threshold;
    private final BoundedMap<String, EventRing> rings;

    ThresholdDetector(RuleSpec rule) {
        super(rule);
        double t = rule.threshold(1);
        if (t < 1 || t > 100_000 || t != Math.rint(t)) {
            throw new IllegalArgumentException(
                    "rule '" + rule.name() + "': threshold must be a whole number in 1..100000, got " + t);
        }
        if (!rule.hasMatch()) {
            throw new IllegalArgumentException("rule '" + rule.name() + "': type threshold needs a 'match' map");
        }
        this.threshold = (int) t;
        this.rings = new BoundedMap<>(rule.maxKeys());
    }

    @Override
    public void onEvent(LogEvent e, Template t, long now, Consumer<Alert> out) {
        if (!rule.matches(e)) {
            return;
        }
        String group = groupValue(e, t);
        EventRing ring = rings.computeIfAbsent(group, k -> new EventRing(threshold));
        ring.add(now);
        if (ring.full(now, windowMillis)) {
            fire(group, now, out, () -> {
                String span = Durations.format(Duration.ofMillis(Math.max(0, now - ring.oldest())));
                String what = describeGroup(group, t);
                String events = threshold == 1 ? "1 event" : threshold + " events";
                String summary = rule.name() + ": " + events + " from " + what + " within " + window();
                String explanation = events + " matching " + rule.matchDescription() + " from " + what
                        + " within " + span + " (threshold " + threshold + " within " + window() + ")"
                        + (rule.description().isEmpty() ? "" : ". " + rule.description());
                return alert(e.service(), key(groupLabel(), group), threshold, threshold, now, summary, explanation, e);
            });
        }
    }

    @Override
    protected long stateEvictions() {
        return rings.evictions();
    }
}
