package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import java.util.function.Consumer;

/**
 * A detection rule at run time. The analyzer calls it from one thread at a time, with the stream
 * time {@code nowMillis} (the event's timestamp, or the injected clock), so detectors never read the
 * wall clock themselves and tests drive them with a fake clock. State must stay bounded ({@link
 * RuleSpec#maxKeys()}).
 */
public interface Detector {

    RuleSpec rule();

    /** Looks at one event; emits zero or more alerts to {@code out}. Never throws on bad data. */
    void onEvent(LogEvent event, Template template, long nowMillis, Consumer<Alert> out);

    /** Time passed without events (called at most about once per second of stream time). */
    default void onTime(long nowMillis, Consumer<Alert> out) {}

    /** Keys evicted because {@code max_keys} was reached. */
    long evictions();

    /** Detections not sent because the rule and key were still in cooldown. */
    long suppressed();
}
