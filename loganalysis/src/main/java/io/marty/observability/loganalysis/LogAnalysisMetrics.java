package io.marty.observability.loganalysis;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;

/**
 * The {@code mmf_log_*} metrics of the analyzer. Every label has a bounded value set: {@code service}
 * is the analyzer's own name, {@code level} the {@link LogLevel} labels, {@code category} the schema's
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

    private final String service;
    private final Counter events;
    private final Counter malformed;
    private final Counter alerts;
    private final Counter suppressed;
    private final Counter evictions;
    private final Counter sinkFailures;
    private final Gauge templates;

    private LogAnalysisMetrics(String service, PrometheusRegistry registry) {
        this.service = service;
        this.events = Counter.builder()
                .name("mmf_log_events_total")
                .help("Log events analysed")
                .labelNames("service", "level", "category")
                .register(registry);
        this.malformed = Counter.builder()
                .name("mmf_log_malformed_lines_total")
                .help("Input lines skipped because they could not be parsed")
                .labelNames("service", "reason")
                .register(registry);
        this.alerts = Counter.builder()
                .name("mmf_log_alerts_total")
                .help("Alerts raised by log-analysis rules")
                .labelNames("service", "rule", "severity")
                .register(registry);
        this.suppressed = Counter.builder()
                .name("mmf_log_alerts_suppressed_total")
                .help("Detections not alerted because the rule and key were in cooldown")
                .labelNames("service", "rule")
                .register(registry);
        this.evictions = Counter.builder()
                .name("mmf_log_state_evictions_total")
                .help("Detector keys evicted because the rule's max_keys was reached")
                .labelNames("service", "rule")
                .register(registry);
        this.sinkFailures = Counter.builder()
                .name("mmf_log_sink_failures_total")
                .help("Alerts an alert sink failed to deliver (after retries) or dropped (queue full)")
                .labelNames("service", "sink")
                .register(registry);
        this.templates = Gauge.builder()
                .name("mmf_log_templates")
                .help("Distinct log templates currently tracked")
                .labelNames("service")
                .register(registry);
    }

    /** Registers the metrics in {@code registry}, labelled with the analyzer's {@code service}. */
    public static LogAnalysisMetrics register(String service, PrometheusRegistry registry) {
        return new LogAnalysisMetrics(service, registry);
    }

    void event(LogLevel level, String category) {
        String cat = category.isEmpty() ? "none" : CATEGORIES.contains(category) ? category : "other";
        events.labelValues(service, level.label(), cat).inc();
    }

    void malformed(String reason) {
        malformed.labelValues(service, reason).inc();
    }

    void alert(Alert a) {
        alerts.labelValues(service, a.rule(), a.severity().label()).inc();
    }

    void suppressed(String rule, long delta) {
        if (delta > 0) {
            suppressed.labelValues(service, rule).inc(delta);
        }
    }

    void evictions(String rule, long delta) {
        if (delta > 0) {
            evictions.labelValues(service, rule).inc(delta);
        }
    }

    /** Counts an alert that sink {@code sink} could not deliver. */
    public void sinkFailure(String sink) {
        sinkFailures.labelValues(service, sink).inc();
    }

    void templates(int n) {
        templates.labelValues(service).set(n);
    }
}
