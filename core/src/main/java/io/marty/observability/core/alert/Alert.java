package io.marty.observability.core.alert;

import io.marty.observability.core.json.JsonWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An alert raised by a rule of the log analyzer or of the business alert rules; the one alert type
 * of the project, delivered by any {@link AlertSink}. {@link #explanation()} says in plain words what was seen, the
 * threshold and the window, e.g. <i>"12 failed logins for user 'alice' within 5m (threshold 10) from
 * 3 source IPs"</i>.
 *
 * @param rule rule name from the rule set (bounded: used as the {@code alertname} label)
 * @param type rule type (log analyzer: {@code threshold}, {@code error_spike}, {@code new_template},
 *     {@code brute_force}, {@code slow_requests}, {@code business_drop}; business rules: {@code
 *     business_threshold}, {@code business_rate_of_change}, {@code business_anomaly}, {@code
 *     business_absence})
 * @param severity severity from the rule
 * @param service service the alert is about ({@code service_name} of the events), or "all"
 * @param groupKey the grouping dimension and value, e.g. {@code {"user_id":"alice"}}
 * @param value the observed value (count, percentile in ms, sum …)
 * @param threshold the value it was compared with
 * @param window the window the value was measured over
 * @param firedAtMillis when the rule fired (stream time, epoch millis)
 * @param cooldown how long the same rule and key stay quiet after this alert
 * @param summary one-line title
 * @param explanation what was seen, against which threshold, over which window
 * @param sample identifiers of the last matching event (message, correlation_id, trace_id …)
 */
public record Alert(
        String rule,
        String type,
        Severity severity,
        String service,
        Map<String, String> groupKey,
        double value,
        double threshold,
        Duration window,
        long firedAtMillis,
        Duration cooldown,
        String summary,
        String explanation,
        Map<String, String> sample) {

    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        groupKey = Collections.unmodifiableMap(new LinkedHashMap<>(groupKey));
        sample = Collections.unmodifiableMap(new LinkedHashMap<>(sample));
    }

    public Instant firedAt() {
        return Instant.ofEpochMilli(firedAtMillis);
    }

    /** The alert as one compact JSON object: {@link #toMap()} written with {@link JsonWriter}. */
    public String toJson() {
        JsonWriter w = new JsonWriter();
        AlertJson.write(w, toMap());
        return w.toString();
    }

    /** A JSON-friendly map (snake_case keys), the shape of each line written by the JSON-lines sink. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fired_at", firedAt().toString());
        m.put("rule", rule);
        m.put("type", type);
        m.put("severity", severity.label());
        m.put("service", service);
        m.put("key", groupKey);
        m.put("value", value);
        m.put("threshold", threshold);
        m.put("window_seconds", window.toSeconds());
        m.put("cooldown_seconds", cooldown.toSeconds());
        m.put("summary", summary);
        m.put("explanation", explanation);
        m.put("sample", sample);
        return m;
    }
}
