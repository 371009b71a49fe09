package io.marty.observability.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MartyTestingTest {

    private static void request(MartyObservability obs, String route, String status, Outcome outcome) {
        obs.metrics().red().start(Protocol.HTTP, Direction.SERVER, "GET", route).end(status, outcome);
    }

    private static void span(MartyObservability obs, String name) {
        obs.openTelemetry().getTracer("test").spanBuilder(name).startSpan().end();
    }

    private static void log(MartyObservability obs, String body) {
        obs.openTelemetry()
                .getLogsBridge()
                .get("test")
                .logRecordBuilder()
                .setBody(body)
                .emit();
    }

    @Test
    void readsBackSpansLogsAndMetricsOfTheService() {
        try (MartyTesting marty = MartyTesting.start("orders")) {
            MartyObservability obs = marty.observability();
            span(obs, "place-order");
            log(obs, "order placed");
            request(obs, "/orders/{id}", "200", Outcome.SUCCESS);
            request(obs, "/orders/{id}", "200", Outcome.SUCCESS);
            request(obs, "/pay", "503", Outcome.SERVER_ERROR);

            assertThat(marty.spans()).extracting(SpanData::getName).containsExactly("place-order");
            assertThat(marty.spans().get(0).getResource().getAttribute(AttributeKey.stringKey("service.name")))
                    .isEqualTo("orders");
            // the log processor batches (1 s delay): logs() must flush to see the record at once
            assertThat(marty.logs())
                    .extracting(r -> r.getBodyValue().asString())
                    .containsExactly("order placed");
            assertThat(marty.requests(Map.of("route", "/orders/{id}"))).isEqualTo(2.0);
            assertThat(marty.sum("mmf_requests_total", Map.of("status", "503"))).isEqualTo(1.0);
            assertThat(marty.requests(Map.of("route", "/nowhere"))).isZero();
            assertThat(marty.labelValues("mmf_requests", "route")).containsExactly("/orders/{id}", "/pay");
            assertThat(marty.metricsText())
                    .contains("mmf_requests_total{")
                    .contains("route=\"/orders/{id}\"")
                    .contains("service=\"orders\"");
            assertThat(marty.registry()).isSameAs(obs.metrics().registry());
        }
    }

    @Test
    void nothingLeavesTheProcess() {
        try (MartyTesting marty = MartyTesting.start("isolated")) {
            request(marty.observability(), "/a", "200", Outcome.SUCCESS);
            ObservabilityConfig config = marty.observability().config();
            assertThat(config.tracesExporter()).isEqualTo(ObservabilityConfig.EXPORTER_NONE);
            assertThat(config.logsExporter()).isEqualTo(ObservabilityConfig.EXPORTER_NONE);
            assertThat(marty.observability().prometheusPort()).isEqualTo(-1);
            for (MetricSnapshot snapshot : PrometheusRegistry.defaultRegistry.scrape()) {
                assertThat(snapshot.getDataPoints())
                        .noneMatch(p -> "isolated".equals(p.getLabels().get("service")));
            }
        }
    }

    @Test
    void configureAppliesSettingsButKeepsTheInMemoryExporters() {
        MartyTesting.Builder builder = MartyTesting.builder()
                .serviceName("sampled-out")
                .configure(config -> config.sampleRate(0.0))
                .configure(config -> config.exporter(ObservabilityConfig.EXPORTER_OTLP));
        try (MartyTesting marty = builder.start()) {
            span(marty.observability(), "dropped");
            assertThat(marty.spans()).isEmpty();
            assertThat(marty.observability().config().sampleRate()).isZero();
            assertThat(marty.observability().config().tracesExporter()).isEqualTo(ObservabilityConfig.EXPORTER_NONE);
        }
        try (MartyTesting again = builder.start()) { // a builder starts a fresh instance each time
            assertThat(again.spans()).isEmpty();
            assertThat(again.observability().config().serviceName()).isEqualTo("sampled-out");
        }
    }

    @Test
    void closeEndsTheInstanceAndKeepsWhatWasRecorded() {
        MartyTesting marty = MartyTesting.start();
        span(marty.observability(), "before-close");
        log(marty.observability(), "still batched");
        marty.close();
        marty.close(); // idempotent

        assertThat(marty.observability().isClosed()).isTrue();
        assertThat(MartyObservability.current()).isEmpty();
        assertThat(marty.spans()).extracting(SpanData::getName).containsExactly("before-close");
        assertThat(marty.logs()).extracting(LogRecordData::getBodyValue).hasSize(1);
        assertThat(marty.observability().config().serviceName()).isEqualTo(MartyTesting.DEFAULT_SERVICE_NAME);
        try (MartyTesting next = MartyTesting.start()) {
            assertThat(next.spans()).isEmpty();
            assertThat(next.requests(Map.of())).isZero();
        }
    }

    @Test
    void resetForgetsSpansAndLogsButNotMetrics() {
        try (MartyTesting marty = MartyTesting.start()) {
            span(marty.observability(), "old");
            log(marty.observability(), "old");
            request(marty.observability(), "/a", "200", Outcome.SUCCESS);
            marty.reset();
            assertThat(marty.spans()).isEmpty();
            assertThat(marty.logs()).isEmpty();
            span(marty.observability(), "new");
            assertThat(marty.spans()).extracting(SpanData::getName).containsExactly("new");
            assertThat(marty.requests(Map.of("route", "/a"))).isEqualTo(1.0);
        }
    }

    @Test
    void sumNamesTheMetricThatIsNoCounter() {
        try (MartyTesting marty = MartyTesting.start()) {
            request(marty.observability(), "/a", "200", Outcome.SUCCESS);
            assertThatThrownBy(() -> marty.sum("mmf_request_duration_seconds", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mmf_request_duration_seconds")
                    .hasMessageContaining("points(");
            assertThat(marty.points("mmf_request_duration_seconds")).hasSize(1);
        }
    }

    @Test
    void secondInstanceInTheSameJvmIsRefused() {
        try (MartyTesting marty = MartyTesting.start("first")) {
            assertThatThrownBy(MartyTesting::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("first");
            assertThat(marty.observability().isClosed()).isFalse();
        }
    }
}
