package io.marty.observability.loganalysis;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.metrics.MartyCounter;
import io.marty.observability.core.metrics.MartyGauge;
import io.marty.observability.core.metrics.MartyMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;

/**
 * The {@code mmf_log_*} metrics of the analyzer, made with core's {@link MartyMetrics} factory ({@code
 * mmf_} prefix, {@code service} label, per-metric series cap). Every label has a bounded value set:
 * {@code service} is the analyzer's own name, {@code level} the {@link LogLevel} labels, {@code category} the schema's
 * categories (others become {@code other}), {@code rule} the configured rule names, {@code reason}
 * the parser's reject reasons, {@code sink} the sink names.
 *
 * <ul>
 *   <li>{@code mmf_log_events_total{service,level,category}} events analysed
 *   <li>{@code mmf_log_malformed_lines_total{service,reason}} lines skipped
 *   <li>{@code mmf_log_alerts_total{service,rule,severity}} alerts emitted
 *   <li>{@code mmf_log_alerts_suppressed_total{service,rule}} detections silenced by cooldown
 *   <li>{@code mmf_log_state_evictions_total{service,rule}} keys evicted at {@code max_keys}
 *   <li>{@code mmf_log_sink_failures_total{service,sink}} alerts a sink dropped after retries/overflow
 *   <li>{@code mmf_log_templates{service}} distinct templates tracked
 * </ul>
 */
public final class LogAnalysisMetrics {
    static final Set<String> CATEGORIES =
            Set.of("application", "security", "performance", "business", "infrastructure", "audit", "access", "error");

    private final MartyCounter events;
    private final MartyCounter malformed;
    private final MartyCounter alerts;
    private final MartyCounter suppressed;
    private final MartyCounter evictions;
    private final MartyCounter sinkFailures;
    private final MartyGauge templates;

    private LogAnalysisMetrics(MartyMetrics m) {
        this.events = m.counter("log_events_total", "Log events analysed", "level", "category");
        this.malformed = m.counter(
                "log_malformed_lines_total", "Input lines skipped because they could not be parsed", "reason");
        this.alerts = m.counter("log_alerts_total", "Alerts raised by log-analysis rules", "rule", "severity");
        this.suppressed = m.counter(
                "log_alerts_suppressed_total",
                "Detections not alerted because the rule and key were in cooldown",
                "rule");
        this.evictions = m.counter(
                "log_state_evictions_total", "Detector keys evicted because the rule's max_keys was reached", "rule");
        this.sinkFailures = m.counter(
                "log_sink_failures_total",
                "Alerts an alert sink failed to deliver (after retries) or dropped (queue full)",
                "sink");
        this.templates = m.gauge("log_templates", "Distinct log templates currently tracked");
    }

    /**
     * The log metrics in an existing metrics facade, e.g. {@code
     * MartyObservability.current().orElseThrow().metrics()}; asking twice returns the same series.
     */
    public static LogAnalysisMetrics create(MartyMetrics metrics) {
        return new LogAnalysisMetrics(metrics);
    }

    /**
     * Registers the metrics in {@code registry} under a new {@link MartyMetrics} for {@code service}
     * (which also registers core's RED metric families there).
     */
    public static LogAnalysisMetrics register(String service, PrometheusRegistry registry) {
        return create(
                MartyMetrics.builder().serviceName(service).registry(registry).build());
    }

    void event(LogLevel level, String category) {
        String cat = category.isEmpty() ? "none" : CATEGORIES.contains(category) ? category : "other";
        events.labels(level.label(), cat).inc();
    }

    void malformed(String reason) {
        malformed.labels(reason).inc();
    }

    void alert(Alert a) {
        alerts.labels(a.rule(), a.severity().label()).inc();
    }

    void suppressed(String rule, long delta) {
        if (delta > 0) {
            suppressed.labels(rule).inc(delta);
        }
    }

    void evictions(String rule, long delta) {
        if (delta > 0) {
            evictions.labels(rule).inc(delta);
        }
    }

    /** Counts an alert that sink {@code sink} could not deliver. */
    public void sinkFailure(String sink) {
        sinkFailures.labels(sink).inc();
    }

    void templates(int n) {
        templates.set(n);
    }
}
