package io.marty.observability.loganalysis;

import io.marty.observability.core.alert.Alert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What an analyzer has seen so far.
 *
 * @param lines input lines read
 * @param events events analysed
 * @param malformed skipped lines by reason ({@code invalid_json}, {@code not_object}, {@code too_long})
 * @param templates distinct templates tracked
 * @param topTemplates the most frequent templates
 * @param rules per rule: alerts fired and detections suppressed by cooldown
 * @param alerts total alerts fired
 * @param recentAlerts the latest alerts (at most 1000)
 * @param evictions keys evicted from bounded detector/template state
 */
public record AnalysisSummary(
        long lines,
        long events,
        Map<String, Long> malformed,
        int templates,
        List<TemplateCount> topTemplates,
        Map<String, RuleCount> rules,
        long alerts,
        List<Alert> recentAlerts,
        long evictions) {

    /** One template's counts. */
    public record TemplateCount(long id, String template, long count, long errors) {}

    /** One rule's counts: {@code fired} alerts and {@code suppressed} (cooldown) detections. */
    public record RuleCount(String type, long fired, long suppressed) {}

    public long malformedTotal() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** JSON-friendly form (used by {@code marty logs analyze --json}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines", lines);
        m.put("events", events);
        m.put("malformed", malformed);
        m.put("templates", templates);
        m.put(
                "top_templates",
                topTemplates.stream()
                        .map(t -> {
                            Map<String, Object> x = new LinkedHashMap<>();
                            x.put("id", t.id());
                            x.put("template", t.template());
                            x.put("count", t.count());
                            x.put("errors", t.errors());
                            return x;
                        })
                        .collect(Collectors.toList()));
        Map<String, Object> r = new LinkedHashMap<>();
        rules.forEach((k, v) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("type", v.type());
            x.put("fired", v.fired());
            x.put("suppressed", v.suppressed());
            r.put(k, x);
        });
        m.put("anomalies", r);
        m.put("alerts_total", alerts);
        m.put("alerts", recentAlerts.stream().map(Alert::toMap).collect(Collectors.toList()));
        m.put("state_evictions", evictions);
        return m;
    }
}
