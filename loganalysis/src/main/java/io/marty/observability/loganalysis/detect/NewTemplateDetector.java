package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.LogLevel;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import io.marty.observability.loganalysis.internal.BoundedMap;
import io.marty.observability.spec.Durations;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code type: new_template}: fires the first time a template never seen before (at any level)
 * appears at {@code min_level} (default error) or above, once the {@code learning_period} (default
 * 1m of stream time) has passed; templates seen while learning count as known. Remembers up to
 * {@code max_keys} templates (least recently seen evicted and counted).
 */
final class NewTemplateDetector extends AbstractDetector {
    private final LogLevel minLevel;
    private final long learningMillis;
    private final BoundedMap<Long, Boolean> seen;
    private long streamStart = Long.MIN_VALUE;

    NewTemplateDetector(RuleSpec rule) {
        super(rule);
        this.minLevel = minLevel(rule);
        Duration learning = rule.durationParam("learning_period", Duration.ofMinutes(1));
        this.learningMillis = learning.toMillis();
        this.seen = new BoundedMap<>(rule.maxKeys());
    }

    @Override
    public void onEvent(LogEvent e, Template t, long now, Consumer<Alert> out) {
        if (streamStart == Long.MIN_VALUE) {
            streamStart = now;
        }
        boolean known = seen.get(t.id()) != null;
        if (!known) {
            seen.put(t.id(), Boolean.TRUE);
        }
        if (known || now - streamStart < learningMillis || !e.level().atLeast(minLevel) || !rule.matches(e)) {
            return;
        }
        fire(
                Long.toString(t.id()),
                now,
                out,
                () -> alert(
                        e.service(),
                        key("template_id", Long.toString(t.id())),
                        1,
                        1,
                        now,
                        rule.name() + ": new " + e.level().label() + " template from service '" + e.service() + "'",
                        "template never seen before appeared at level "
                                + e.level().label() + " from service '"
                                + e.service() + "': '" + t.text() + "' (" + seen.size()
                                + " templates known, learning period "
                                + Durations.format(Duration.ofMillis(learningMillis)) + ")",
                        e));
    }

    @Override
    protected long stateEvictions() {
        return seen.evictions();
    }
}
