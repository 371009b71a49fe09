package io.marty.observability.loganalysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.testing.ManualClock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OTLP entry point, JSON lines end to end, template extractor plug-in and mmf_log_* metrics. */
class AnalyzerIntegrationTest {

    @Test
    void otlpRecordsAreMappedOntoTheSchemaAndDetected() {
        ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-05T10:00:00Z"));
        LogAnalyzer analyzer = LogAnalyzer.builder().clock(clock).build();
        List<OtlpLogRecord> batch = new ArrayList<>();
        long t0 = clock.millis() * 1_000_000L;
        for (int i = 0; i < 10; i++) {
            batch.add(new OtlpLogRecord(
                    t0 + i * 1_000_000_000L,
                    0,
                    17, // ERROR
                    null,
                    "Payment provider timeout after 30 s",
                    Map.of("mmf.correlation_id", "corr-" + i, "category", "error", "fields.http_status", 504L),
                    Map.of("service.name", "payments"),
                    "4bf92f3577b34da6a3ce929d0e0e4736",
                    "00f067aa0ba902b7"));
        }
        List<Alert> alerts = analyzer.acceptOtlp(batch);
        assertThat(alerts).extracting(Alert::rule).contains("high_error_rate", "service_unavailable");
        Alert high = alerts.stream()
                .filter(a -> a.rule().equals("high_error_rate"))
                .findFirst()
                .orElseThrow();
        assertThat(high.service()).isEqualTo("payments");
        assertThat(high.sample())
                .containsEntry("correlation_id", "corr-9")
                .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(high.firedAt()).isEqualTo(clock.instant().plusSeconds(9));
        LogEvent e = batch.get(0).toEvent();
        assertThat(e.level()).isEqualTo(LogLevel.ERROR);
        assertThat(e.category()).isEqualTo("error");
        assertThat(e.number("fields.http_status")).isEqualTo(504);
    }

    @Test
    void metricsCountEventsMalformedLinesAndAlertsWithBoundedLabels() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-05T10:00:00Z"));
        LogAnalyzer analyzer = LogAnalyzer.builder()
                .clock(clock)
                .metrics(registry)
                .serviceName("log-analyzer")
                .build();
        for (int i = 0; i < 10; i++) {
            analyzer.acceptLine("{\"level\":\"ERROR\",\"service_name\":\"svc-" + i % 2 + "\",\"category\":\"weird-" + i
                    + "\",\"message\":\"boom " + i + "\"}");
            clock.advance(Duration.ofSeconds(1));
        }
        analyzer.acceptLine("{\"level\":\"CRITICAL\",\"service_name\":\"svc-0\",\"message\":\"disk full\"}");
        analyzer.acceptLine("{broken");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("mmf_log_events_total{category=\"other\",level=\"error\",service=\"log-analyzer\"} 10.0")
                .contains("mmf_log_events_total{category=\"none\",level=\"critical\",service=\"log-analyzer\"} 1.0")
                .contains("mmf_log_malformed_lines_total{reason=\"invalid_json\",service=\"log-analyzer\"} 1.0")
                .contains(
                        "mmf_log_alerts_total{rule=\"critical_errors\",service=\"log-analyzer\",severity=\"critical\"} 1.0")
                .contains("mmf_log_templates{service=\"log-analyzer\"}")
                .doesNotContain("weird-")
                .doesNotContain("svc-");
    }

    @Test
    void aCustomTemplateExtractorDrivesTemplatesAndAFailingOneDoesNotStopAnalysis() {
        LogAnalyzer analyzer = LogAnalyzer.builder()
                .templateExtractor(msg -> {
                    if (msg.contains("explode")) {
                        throw new IllegalStateException("bug in extractor");
                    }
                    return new Template(1, "everything", 0);
                })
                .build();
        analyzer.acceptLine("first plain line");
        analyzer.acceptLine("second explode line 7");
        analyzer.acceptLine("{\"message\":\"third\"}");
        AnalysisSummary s = analyzer.summary();
        assertThat(s.events()).isEqualTo(3);
        assertThat(s.topTemplates().get(0)).satisfies(t -> {
            assertThat(t.id()).isEqualTo(1L);
            assertThat(t.count()).isEqualTo(2);
        });
        assertThat(s.topTemplates())
                .extracting(AnalysisSummary.TemplateCount::template)
                .contains("second explode line <*>");
    }

    @Test
    void templateStateIsBounded() {
        // The simple extractor keeps every distinct word sequence apart: 1000 templates offered.
        LogAnalyzer analyzer = LogAnalyzer.builder()
                .templateExtractor(TemplateExtractor.simple())
                .maxTemplates(100)
                .build();
        for (int i = 0; i < 1000; i++) {
            analyzer.acceptLine("unique words " + Integer.toString(i, 26).replaceAll("[0-9]", "x") + " here");
        }
        AnalysisSummary s = analyzer.summary();
        assertThat(s.templates()).isLessThanOrEqualTo(100);
        assertThat(s.evictions()).isPositive();
    }

    @Test
    void theDefaultExtractorIsTheMinerAndGroupsPlainLines() {
        LogAnalyzer analyzer = LogAnalyzer.builder().build();
        for (String u : new String[] {"alice", "bob", "carol", "dave", "erin"}) {
            analyzer.acceptLine("Accepted password for " + u + " from 10.0.0.1 port 22 ssh2");
        }
        analyzer.acceptLine("Disk quota exceeded on /home");
        AnalysisSummary s = analyzer.summary();
        assertThat(s.topTemplates().get(0).count()).isEqualTo(5);
        assertThat(s.topTemplates().get(0).template()).isEqualTo("Accepted password for <*> from <*> port <*> ssh2");
    }
}
