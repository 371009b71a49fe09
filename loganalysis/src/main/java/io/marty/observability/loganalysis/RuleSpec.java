package io.marty.observability.loganalysis;

import io.marty.observability.core.alert.Severity;
import io.marty.observability.loganalysis.detect.Detectors;
import io.marty.observability.loganalysis.internal.Condition;
import io.marty.observability.spec.Durations;
import io.marty.observability.spec.SpecException;
import io.marty.observability.spec.SpecNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One detection rule as read from YAML by {@link RuleSet}: the common settings every detector has
 * (name, type, severity, window, cooldown, threshold, group_by, max_keys, match) plus type-specific
 * parameters, each remembered with its place in the file so that a bad value is reported there. See
 * {@code docs/log-analysis.md} for every type and key.
 */
public final class RuleSpec {
    /** Default cooldown: the same rule and key alert at most once per 5 minutes. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
    /** Default cap of tracked keys (users, IPs, services, templates) per rule. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    private static final Set<String> COMMON = Set.of(
            "name",
            "type",
            "severity",
            "window",
            "cooldown",
            "threshold",
            "group_by",
            "max_keys",
            "match",
            "description",
            "enabled");

    private final SpecNode node;
    private final String name;
    private final String type;
    private final Severity severity;
    private final Duration window;
    private final Duration cooldown;
    private final double threshold;
    private final String groupBy;
    private final int maxKeys;
    private final String description;
    private final boolean enabled;
    private final List<Condition> match;
    private final Set<String> usedParams = new HashSet<>();

    /**
     * Reads one rule; {@code defaults} (or null) supplies severity, window, cooldown and max_keys when the
     * rule omits them. Fails with a {@link SpecException} at the offending key.
     */
    RuleSpec(SpecNode rule, SpecNode defaults) {
        this.node = rule;
        this.name = rule.string("name").trim();
        if (name.isEmpty()) {
            throw rule.get("name").error("must not be empty");
        }
        if (!rule.has("type")) {
            throw rule.errorAt("type", "missing (one of " + new TreeSet<>(Detectors.TYPES) + ")");
        }
        this.type = rule.get("type").asOneOf(Detectors.TYPES);
        SpecNode sev = setting(rule, defaults, "severity");
        this.severity = sev == null ? Severity.WARNING : sev.as(Severity::parse);
        SpecNode win = setting(rule, defaults, "window");
        this.window = win == null ? Duration.ofMinutes(5) : win.as(Durations::parsePositive);
        SpecNode cool = setting(rule, defaults, "cooldown");
        this.cooldown = cool == null ? DEFAULT_COOLDOWN : cool.asDuration();
        this.threshold = rule.number("threshold", Double.NaN);
        this.groupBy = rule.string("group_by", "service").trim();
        SpecNode keys = setting(rule, defaults, "max_keys");
        this.maxKeys = keys == null ? DEFAULT_MAX_KEYS : keys.asInt();
        if (maxKeys < 1 || maxKeys > 10_000_000) {
            throw keys.error("must be in 1..10000000, got " + maxKeys);
        }
        this.description = rule.string("description", "");
        this.enabled = rule.bool("enabled", true);
        List<Condition> conditions = new ArrayList<>();
        SpecNode m = rule.find("match");
        if (m != null) {
            m.entries().forEach((path, value) -> {
                Object spec = value.isList() ? value.asStringList() : value.isScalar() ? value.asString() : null;
                try {
                    conditions.add(Condition.parse(path, spec));
                } catch (IllegalArgumentException e) {
                    throw value.error(e.getMessage(), e);
                }
            });
        }
        this.match = List.copyOf(conditions);
    }

    private static SpecNode setting(SpecNode rule, SpecNode defaults, String key) {
        SpecNode n = rule.find(key);
        return n != null || defaults == null ? n : defaults.find(key);
    }

    /** Whether the rule is on ({@code enabled: false} keeps it validated but unused). */
    boolean enabled() {
        return enabled;
    }

    /** An error about this rule, located at the rule in its file. */
    SpecException error(String what, Throwable cause) {
        return node.error(what, cause);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public Severity severity() {
        return severity;
    }

    public Duration window() {
        return window;
    }

    public Duration cooldown() {
        return cooldown;
    }

    /** The rule's threshold; NaN when the YAML did not set one (detectors then use their default). */
    public double threshold() {
        return threshold;
    }

    public double threshold(double defaultValue) {
        return Double.isNaN(threshold) ? defaultValue : threshold;
    }

    public String groupBy() {
        return groupBy;
    }

    public int maxKeys() {
        return maxKeys;
    }

    public String description() {
        return description;
    }

    /** True when the event satisfies every {@code match:} condition (no conditions: always). */
    public boolean matches(LogEvent e) {
        for (int i = 0; i < match.size(); i++) {
            if (!match.get(i).test(e)) {
                return false;
            }
        }
        return true;
    }

    public boolean hasMatch() {
        return !match.isEmpty();
    }

    /** Human-readable form of the match conditions, for explanations ({@code "level in [error]"}). */
    public String matchDescription() {
        StringBuilder sb = new StringBuilder();
        for (Condition c : match) {
            if (sb.length() > 0) {
                sb.append(" and ");
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** A type-specific number parameter. */
    public double param(String key, double defaultValue) {
        return param(key, defaultValue, SpecNode::asDouble);
    }

    /** A type-specific duration parameter. */
    public Duration durationParam(String key, Duration defaultValue) {
        return param(key, defaultValue, SpecNode::asDuration);
    }

    /** A type-specific string or list-of-strings parameter. */
    public List<String> listParam(String key, List<String> defaultValue) {
        return param(key, defaultValue, SpecNode::asStringList);
    }

    /** A type-specific string parameter. */
    public String stringParam(String key, String defaultValue) {
        return param(key, defaultValue, SpecNode::asString);
    }

    private <T> T param(String key, T defaultValue, Function<SpecNode, T> read) {
        usedParams.add(key);
        return node.optional(key, defaultValue, read);
    }

    /** Fails at the first key the rule's detector never read (typos like {@code treshold}). */
    public void checkNoUnknownKeys() {
        Set<String> known = new HashSet<>(COMMON);
        known.addAll(usedParams);
        node.checkKeys(known);
    }

    @Override
    public String toString() {
        return "RuleSpec{" + name + ", " + type + ", window=" + Durations.format(window) + ", cooldown="
                + Durations.format(cooldown) + ", threshold=" + threshold + ", group_by=" + groupBy + "}";
    }
}
