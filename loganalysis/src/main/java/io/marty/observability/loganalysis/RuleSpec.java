package io.marty.observability.loganalysis;

import io.marty.observability.loganalysis.internal.Condition;
import io.marty.observability.loganalysis.internal.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One detection rule as read from YAML (or built in code): the common settings every detector has
 * (name, type, severity, window, cooldown, threshold, group_by, max_keys, match) plus type-specific
 * parameters. See {@code docs/log-analysis.md} for every type and key.
 */
public final class RuleSpec {
    /** The seed's cooldown: the same rule and key alert at most once per 5 minutes. */
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

    private final String name;
    private final String type;
    private final Severity severity;
    private final Duration window;
    private final Duration cooldown;
    private final double threshold;
    private final String groupBy;
    private final int maxKeys;
    private final String description;
    private final List<Condition> match;
    private final Map<String, Object> params;
    private final Set<String> usedParams = new HashSet<>();

    private RuleSpec(
            String name,
            String type,
            Severity severity,
            Duration window,
            Duration cooldown,
            double threshold,
            String groupBy,
            int maxKeys,
            String description,
            List<Condition> match,
            Map<String, Object> params) {
        this.name = name;
        this.type = type;
        this.severity = severity;
        this.window = window;
        this.cooldown = cooldown;
        this.threshold = threshold;
        this.groupBy = groupBy;
        this.maxKeys = maxKeys;
        this.description = description;
        this.match = List.copyOf(match);
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Builds a rule from a YAML/JSON-like map; {@code defaults} supplies cooldown/max_keys/window when
     * the rule omits them. Fails with a message naming the rule, the key and the bad value.
     */
    public static RuleSpec fromMap(Map<String, Object> raw, Map<String, Object> defaults) {
        Object nameObj = raw.get("name");
        if (!(nameObj instanceof String) || ((String) nameObj).isBlank()) {
            throw new IllegalArgumentException("rule without a 'name': " + raw);
        }
        String name = ((String) nameObj).trim();
        String where = "rule '" + name + "'";
        Object typeObj = raw.get("type");
        if (!(typeObj instanceof String)) {
            throw new IllegalArgumentException(where + ": missing 'type' (one of "
                    + io.marty.observability.loganalysis.detect.Detectors.TYPES + ")");
        }
        String type = ((String) typeObj).trim();
        if (!io.marty.observability.loganalysis.detect.Detectors.TYPES.contains(type)) {
            throw new IllegalArgumentException(where + ": unknown type '" + type + "' (one of "
                    + io.marty.observability.loganalysis.detect.Detectors.TYPES + ")");
        }
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        merged.putAll(raw);
        Severity severity;
        try {
            severity = Severity.parse(String.valueOf(merged.getOrDefault("severity", "warning")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Duration window = duration(where, "window", merged.getOrDefault("window", "5m"));
        Duration cooldown = duration(where, "cooldown", merged.getOrDefault("cooldown", "5m"));
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException(where + ": window must be positive, got " + merged.get("window"));
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException(where + ": cooldown must be >= 0, got " + merged.get("cooldown"));
        }
        double threshold = number(where, "threshold", merged.getOrDefault("threshold", Double.NaN));
        String groupBy =
                String.valueOf(merged.getOrDefault("group_by", "service")).trim();
        double maxKeys = number(where, "max_keys", merged.getOrDefault("max_keys", DEFAULT_MAX_KEYS));
        if (maxKeys < 1 || maxKeys > 10_000_000) {
            throw new IllegalArgumentException(where + ": max_keys must be in 1..10000000, got " + maxKeys);
        }
        List<Condition> match = new java.util.ArrayList<>();
        Object m = raw.get("match");
        if (m != null) {
            if (!(m instanceof Map)) {
                throw new IllegalArgumentException(where + ": 'match' must be a map of path -> value, got " + m);
            }
            for (Map.Entry<?, ?> en : ((Map<?, ?>) m).entrySet()) {
                match.add(Condition.parse(where, String.valueOf(en.getKey()), en.getValue()));
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (!COMMON.contains(k)) {
                params.put(k, v);
            }
        });
        Object desc = raw.get("description");
        return new RuleSpec(
                name,
                type,
                severity,
                window,
                cooldown,
                threshold,
                groupBy,
                (int) maxKeys,
                desc == null ? "" : desc.toString(),
                match,
                params);
    }

    /** Whether the raw map disables the rule ({@code enabled: false}). */
    public static boolean enabled(Map<String, Object> raw) {
        Object e = raw.get("enabled");
        return e == null || Boolean.parseBoolean(String.valueOf(e));
    }

    private static Duration duration(String where, String key, Object v) {
        try {
            if (v instanceof Number) {
                return Duration.ofSeconds(((Number) v).longValue());
            }
            return Durations.parse(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + key + ": " + e.getMessage(), e);
        }
    }

    private static double number(String where, String key, Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + key + " must be a number, got '" + v + "'", e);
        }
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
        usedParams.add(key);
        Object v = params.get(key);
        return v == null ? defaultValue : number("rule '" + name + "'", key, v);
    }

    /** A type-specific duration parameter. */
    public Duration durationParam(String key, Duration defaultValue) {
        usedParams.add(key);
        Object v = params.get(key);
        return v == null ? defaultValue : duration("rule '" + name + "'", key, v);
    }

    /** A type-specific string or list-of-strings parameter. */
    public List<String> listParam(String key, List<String> defaultValue) {
        usedParams.add(key);
        Object v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof List) {
            List<String> out = new java.util.ArrayList<>();
            for (Object o : (List<?>) v) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        return List.of(String.valueOf(v));
    }

    /** A type-specific string parameter. */
    public String stringParam(String key, String defaultValue) {
        usedParams.add(key);
        Object v = params.get(key);
        return v == null ? defaultValue : String.valueOf(v);
    }

    /** Fails when the rule holds keys its detector never read (typos like {@code treshold}). */
    public void checkNoUnknownKeys() {
        Set<String> unknown = new TreeSet<>(params.keySet());
        unknown.removeAll(usedParams);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("rule '" + name + "' (type " + type + "): unknown key(s) " + unknown);
        }
    }

    @Override
    public String toString() {
        return "RuleSpec{" + name + ", " + type + ", window=" + Durations.format(window) + ", cooldown="
                + Durations.format(cooldown) + ", threshold=" + threshold + ", group_by=" + groupBy + "}";
    }
}
