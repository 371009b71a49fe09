package io.marty.observability.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TracingTest {
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private MartyObservability obs;
    private Tracing tracing;

    @BeforeEach
    void start() {
        obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("svc")
                .exporter("none")
                .spanExporter(spans)
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        tracing = obs.tracing();
    }

    @AfterEach
    void stop() {
        obs.close();
    }

    @Test
    void traceReturnsValueAndNestsSpans() throws Exception {
        String result = tracing.trace(
                "outer",
                Attributes.of(AttributeKey.stringKey("order.id"), "o-1"),
                () -> tracing.trace("inner", () -> {
                    assertThat(Tracing.currentTraceId()).isPresent();
                    return "ok";
                }));
        assertThat(result).isEqualTo("ok");
        SpanData inner = spans.getFinishedSpanItems().get(0);
        SpanData outer = spans.getFinishedSpanItems().get(1);
        assertThat(inner.getName()).isEqualTo("inner");
        assertThat(inner.getParentSpanId()).isEqualTo(outer.getSpanId());
        assertThat(inner.getTraceId()).isEqualTo(outer.getTraceId());
        assertThat(outer.getAttributes().get(AttributeKey.stringKey("order.id")))
                .isEqualTo("o-1");
        assertThat(outer.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(Tracing.currentTraceId()).isEmpty();
    }

    @Test
    void failuresAreRecordedAndRethrown() {
        assertThatThrownBy(() -> tracing.trace("fails", Attributes.empty(), () -> {
                    throw new IllegalStateException("nope");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("nope");
        assertThatThrownBy(() -> tracing.trace("fails-checked", () -> {
                    throw new java.io.IOException("io");
                }))
                .isInstanceOf(java.io.IOException.class);
        assertThat(spans.getFinishedSpanItems()).hasSize(2).allSatisfy(s -> {
            assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(s.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
        });
    }

    @Test
    void startSpanDoesNotMakeItCurrentAndCarriesCorrelation() {
        CorrelationContext c = CorrelationContext.newRoot();
        try (Scope ignored = c.makeCurrent()) {
            var span = tracing.startSpan("client-call", SpanKind.CLIENT, Attributes.empty());
            assertThat(Tracing.currentSpanId()).isEmpty();
            span.end();
        }
        SpanData s = spans.getFinishedSpanItems().get(0);
        assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(s.getAttributes().get(CorrelationAttributes.CORRELATION_ID)).isEqualTo(c.correlationId());
    }

    @Test
    void traceHeadersContainW3cAndMmfHeaders() {
        CorrelationContext c =
                CorrelationContext.newRoot().toBuilder().userId("u").build();
        Map<String, String> headers;
        try (Scope a = c.makeCurrent()) {
            headers = tracing.trace("op", Attributes.empty(), (java.util.concurrent.Callable<Map<String, String>>)
                    () -> tracing.traceHeaders());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        SpanData op = spans.getFinishedSpanItems().get(0);
        // flags: sampled (bit 0), possibly with the W3C level-2 "random trace id" bit
        assertThat(headers.get("traceparent"))
                .isIn(
                        "00-" + op.getTraceId() + "-" + op.getSpanId() + "-01",
                        "00-" + op.getTraceId() + "-" + op.getSpanId() + "-03");
        assertThat(headers)
                .containsEntry("X-MMF-Correlation-ID", c.correlationId())
                .containsEntry("X-MMF-Request-ID", c.requestId())
                .containsEntry("X-MMF-User-ID", "u");
        assertThat(tracing.traceHeaders()).isEmpty();
    }
}
