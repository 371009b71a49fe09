package io.marty.observability.loganalysis.detect;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.AlertGate;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.RuleSpec;
import io.marty.observability.loganalysis.Template;
import io.marty.observability.spec.Durations;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Shared parts of the built-in detectors: grouping, cooldown per key, alert construction. */
abstract class AbstractDetector implements Detector {
    private static final String[] SAMPLE_CONTEXT = {"correlation_id", "request_id", "trace_id", "span_id", "user_id"};

    protected final RuleSpec rule;
    protected final long windowMillis;
    private final AlertGate gate;

    AbstractDetector(RuleSpec rule) {
        this.rule = rule;
        this.windowMillis = rule.window().toMillis();
        this.gate = AlertGate.builder().maxKeys(rule.maxKeys()).build();
    }

    @Override
    public RuleSpec rule() {
        return rule;
    }

    @Override
    public long suppressed() {
        return gate.suppressed();
    }

    @Override
    public long evictions() {
        return gate.evictions() + stateEvictions();
    }

    /** The {@code min_level} parameter (default error); fails naming the rule for a bad level. */
    static io.marty.observability.loganalysis.LogLevel minLevel(RuleSpec rule) {
        String lvl = rule.stringParam("min_level", "error");
        io.marty.observability.loganalysis.LogLevel level = io.marty.observability.loganalysis.LogLevel.parse(lvl);
        if (level == io.marty.observability.loganalysis.LogLevel.UNKNOWN) {
            throw new IllegalArgumentException("rule '" + rule.name() + "': min_level '" + lvl + "' is not a level");
        }
        return level;
    }

    /** Evictions of the detector's own keyed state. */
    protected abstract long stateEvictions();

    protected String window() {
        return Durations.format(rule.window());
    }

    /** The group value of an event for {@code group_by} (service, template, all, or a path). */
    protected String groupValue(LogEvent e, Template t) {
        switch (rule.groupBy()) {
            case "service":
                return e.service();
            case "template":
                return Long.toString(t.id());
            case "none":
            case "all":
                return "all";
            default:
                String v = e.text(rule.groupBy());
                return v == null || v.isEmpty() ? "unknown" : v;
        }
    }

    protected String groupLabel() {
        String g = rule.groupBy();
        int dot = g.lastIndexOf('.');
        return dot >= 0 ? g.substring(dot + 1) : g;
    }

    /** Describes the group for explanations: {@code service 'checkout'}. */
    protected String describeGroup(String value, Template t) {
        if ("template".equals(rule.groupBy())) {
            return "template '" + t.text() + "'";
        }
        if ("all".equals(value) && ("none".equals(rule.groupBy()) || "all".equals(rule.groupBy()))) {
            return "all services";
        }
        return groupLabel() + " '" + value + "'";
    }

    /**
     * Emits the alert unless {@code key} fired less than a cooldown ago; the supplier runs only when
     * the alert really goes out, so explanations cost nothing while suppressed.
     */
    protected boolean fire(String key, long now, Consumer<Alert> out, java.util.function.Supplier<Alert> alert) {
        if (!gate.admit(rule.name(), key, now, rule.cooldown())) {
            return false;
        }
        out.accept(alert.get());
        return true;
    }

    protected Alert alert(
            String service,
            Map<String, String> groupKey,
            double value,
            double threshold,
            long now,
            String summary,
            String explanation,
            @Nullable LogEvent sampleEvent) {
        return new Alert(
                rule.name(),
                rule.type(),
                rule.severity(),
                service,
                groupKey,
                value,
                threshold,
                rule.window(),
                now,
                rule.cooldown(),
                summary,
                explanation,
                sample(sampleEvent));
    }

    static Map<String, String> sample(LogEvent e) {
        Map<String, String> m = new LinkedHashMap<>();
        if (e == null) {
            return m;
        }
        String msg = e.message();
        m.put("message", msg.length() > 300 ? msg.substring(0, 300) + "…" : msg);
        m.put("level", e.level().label());
        for (String k : SAMPLE_CONTEXT) {
            String v = e.context().get(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return m;
    }

    static Map<String, String> key(String label, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(label, value);
        return m;
    }
}
