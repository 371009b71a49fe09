package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The export-side masking hook on the span and log paths, with in-memory exporters. */
class TelemetryMaskerTest {
    private static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("exception.message");
    private static final AttributeKey<String> STACK = AttributeKey.stringKey("exception.stacktrace");
    private static final String SECRET = "acct-4711";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
    private MartyObservability obs;

    private MartyObservability start() {
        obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("masking")
                .exporter("none")
                .spanExporter(spans)
                .logRecordExporter(logs)
                .registerGlobal(false)
                .shutdownTimeout(Duration.ofSeconds(5))
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        return obs;
    }

    @AfterEach
    void close() {
        if (obs != null) {
            obs.close();
        }
    }

    private void emit(String body, Throwable error) {
        Span span = obs.tracing().startSpan("work");
        Tracing.recordFailure(span, error);
        span.setStatus(StatusCode.ERROR, error.getMessage());
        span.end();
        obs.openTelemetry()
                .getLogsBridge()
                .get("test")
                .logRecordBuilder()
                .setBody(body)
                .setAllAttributes(Attributes.of(
                        MESSAGE,
                        error.getMessage(),
                        STACK,
                        "java.lang.Exception: " + error.getMessage(),
                        AttributeKey.stringKey("account"),
                        SECRET))
                .emit();
        obs.close(); // flushes the log batch
    }

    private EventData exceptionEvent() {
        SpanData span = spans.getFinishedSpanItems().get(0);
        return span.getEvents().stream()
                .filter(e -> e.getName().equals("exception"))
                .findFirst()
                .orElseThrow();
    }

    private LogRecordData log() {
        List<LogRecordData> items = logs.getFinishedLogRecordItems();
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    @Test
    void withoutAMaskerExceptionTextIsExportedAsItIs() {
        start();
        emit("body " + SECRET, new IllegalStateException("no " + SECRET));
        assertThat(exceptionEvent().getAttributes().get(MESSAGE)).isEqualTo("no " + SECRET);
        assertThat(log().getBodyValue().asString()).isEqualTo("body " + SECRET);
    }

    @Test
    void maskerRewritesExceptionTextStatusAndStringBodiesOnly() {
        start().setTelemetryMasker(text -> text.replace(SECRET, "[M]"));
        emit("body " + SECRET, new IllegalStateException("no " + SECRET));

        EventData event = exceptionEvent();
        assertThat(event.getAttributes().get(MESSAGE)).isEqualTo("no [M]");
        assertThat(event.getAttributes().get(STACK))
                .startsWith("java.lang.IllegalStateException: no [M]")
                .doesNotContain(SECRET);
        assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                .isEqualTo(IllegalStateException.class.getName());
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getStatus().getDescription()).isEqualTo("no [M]");
        assertThat(span.getName()).isEqualTo("work");

        LogRecordData log = log();
        assertThat(log.getBodyValue().asString()).isEqualTo("body [M]");
        assertThat(log.getAttributes().get(MESSAGE)).isEqualTo("no [M]");
        assertThat(log.getAttributes().get(STACK)).isEqualTo("java.lang.Exception: no [M]");
        // other attributes are the logging module's business (keys, MDC), not this hook's
        assertThat(log.getAttributes().get(AttributeKey.stringKey("account"))).isEqualTo(SECRET);
        assertThat(log.toString()).doesNotContain("no " + SECRET);
    }

    @Test
    void aThrowingMaskerWithholdsTheTextInsteadOfExportingItUnmasked() {
        start().setTelemetryMasker(text -> {
            throw new IllegalStateException("broken masker");
        });
        emit("body " + SECRET, new IllegalStateException("no " + SECRET));
        assertThat(exceptionEvent().getAttributes().get(MESSAGE)).isEqualTo(TelemetryMasker.MASKING_FAILED);
        assertThat(exceptionEvent().getAttributes().get(STACK)).isEqualTo(TelemetryMasker.MASKING_FAILED);
        assertThat(log().getBodyValue().asString()).isEqualTo(TelemetryMasker.MASKING_FAILED);
    }

    @Test
    void noneTurnsMaskingOffAgainAndStructuredBodiesAreLeftAlone() {
        MartyObservability o = start();
        o.setTelemetryMasker(text -> "[M]");
        o.setTelemetryMasker(TelemetryMasker.NONE);
        emit("body " + SECRET, new IllegalStateException("no " + SECRET));
        assertThat(exceptionEvent().getAttributes().get(MESSAGE)).isEqualTo("no " + SECRET);

        obs = null;
        logs.reset();
        MartyObservability second = start();
        second.setTelemetryMasker(text -> "[M]");
        Value<?> structured = Value.of(Map.of("text", Value.of("kept " + SECRET)));
        second.openTelemetry()
                .getLogsBridge()
                .get("test")
                .logRecordBuilder()
                .setBody(structured)
                .emit();
        second.close();
        assertThat(log().getBodyValue()).isEqualTo(structured);
    }
}
