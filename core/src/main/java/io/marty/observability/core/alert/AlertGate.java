package io.marty.observability.core.alert;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a detection becomes an alert: the same rule and key alert at most once per cooldown,
 * and a rule is silenced while a rule that inhibits it is active (detected within its own cooldown).
 * The log analyzer's detectors and the business alert rules both go through it. Memory is bounded:
 * at most {@code maxKeys} rule/key pairs are remembered, the least recently fired are forgotten
 * first (counted in {@link #evictions()}).
 *
 * <pre>{@code
 * AlertGate gate = AlertGate.builder().maxKeys(10_000).inhibit("revenue_zero", "revenue_drop").build();
 * if (gate.admit("revenue_drop", "checkout", now, Duration.ofMinutes(5))) {
 *     sink.send(alert);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AlertGate {
    private final LinkedHashMap<String, Long> lastFired;
    private final int maxKeys;
    private final Map<String, List<String>> inhibitedBy;
    private final Map<String, long[]> lastDetected = new java.util.HashMap<>();
    private long suppressed;
    private long inhibited;
    private long evictions;

    private AlertGate(Builder b) {
        this.maxKeys = b.maxKeys;
        Map<String, List<String>> copy = new LinkedHashMap<>();
        b.inhibitedBy.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.inhibitedBy = Map.copyOf(copy);
        this.lastFired = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** A gate remembering up to 10,000 rule/key pairs, with no inhibitions. */
    public static AlertGate create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records a detection of {@code rule} for {@code key} at {@code nowMillis} and says whether it
     * should be sent: false while an inhibiting rule is active or while the same rule and key fired
     * less than {@code cooldown} ago.
     */
    public synchronized boolean admit(String rule, String key, long nowMillis, Duration cooldown) {
        lastDetected.computeIfAbsent(rule, r -> new long[2])[0] = nowMillis;
        lastDetected.get(rule)[1] = cooldown.toMillis();
        List<String> sources = inhibitedBy.get(rule);
        if (sources != null) {
            for (String source : sources) {
                long[] seen = lastDetected.get(source);
                if (seen != null && nowMillis - seen[0] <= Math.max(seen[1], 0)) {
                    inhibited++;
                    return false;
                }
            }
        }
        String k = rule + '\u0000' + key;
        Long last = lastFired.get(k);
        if (last != null && nowMillis - last < cooldown.toMillis()) {
            suppressed++;
            return false;
        }
        lastFired.put(k, nowMillis);
        if (lastFired.size() > maxKeys) {
            var it = lastFired.keySet().iterator();
            it.next();
            it.remove();
            evictions++;
        }
        return true;
    }

    /** Detections not sent because the rule and key were in cooldown. */
    public synchronized long suppressed() {
        return suppressed;
    }

    /** Detections not sent because an inhibiting rule was active. */
    public synchronized long inhibited() {
        return inhibited;
    }

    /** Rule/key pairs forgotten to stay within {@code maxKeys}. */
    public synchronized long evictions() {
        return evictions;
    }

    /** Builder for {@link AlertGate}. */
    public static final class Builder {
        private int maxKeys = 10_000;
        private final Map<String, List<String>> inhibitedBy = new LinkedHashMap<>();

        private Builder() {}

        /** Rule/key pairs remembered for cooldown (default 10,000). */
        public Builder maxKeys(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxKeys must be >= 1, got " + n);
            }
            this.maxKeys = n;
            return this;
        }

        /**
         * While {@code sourceRule} is active (detected less than its cooldown ago), detections of
         * {@code targetRule} are not sent.
         */
        public Builder inhibit(String sourceRule, String targetRule) {
            Objects.requireNonNull(sourceRule, "sourceRule");
            Objects.requireNonNull(targetRule, "targetRule");
            if (sourceRule.equals(targetRule)) {
                throw new IllegalArgumentException("rule '" + sourceRule + "' cannot inhibit itself");
            }
            inhibitedBy
                    .computeIfAbsent(targetRule, t -> new java.util.ArrayList<>())
                    .add(sourceRule);
            return this;
        }

        public AlertGate build() {
            return new AlertGate(this);
        }
    }
}
