package io.marty.observability.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.correlation.MdcKeys;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Consumer-side behaviour that needs no broker: a record as a consumer returns it. */
class KafkaTelemetryTest {

    @Test
    void handlerExceptionPassesThroughUnchangedAndIsRecordedAsError() {
        try (MartyTesting marty = MartyTesting.start("billing")) {
            KafkaTelemetry telemetry = KafkaTelemetry.create(marty.observability());
            ConsumerRecord<String, String> record = new ConsumerRecord<>("invoices", 2, 41L, "k", "v");
            record.headers().add("X-MMF-Correlation-ID", "inv-9".getBytes(StandardCharsets.UTF_8));
            IllegalStateException boom = new IllegalStateException("boom");
            String[] seen = new String[1];

            assertThatThrownBy(() -> telemetry.process(record, r -> {
                        seen[0] = MDC.get(MdcKeys.CORRELATION_ID);
                        throw boom;
                    }))
                    .isSameAs(boom);

            assertThat(seen[0]).isEqualTo("inv-9");
            assertThat(MDC.get(MdcKeys.CORRELATION_ID)).isNull();
            SpanData span = marty.awaitSpan(SpanKind.CONSUMER, "process invoices");
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo(IllegalStateException.class.getName());
            assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")))
                    .isEqualTo("2");
            assertThat(marty.sum(
                            KafkaTelemetry.MESSAGES_TOTAL,
                            Map.of("direction", "consumer", "topic", "invoices", "outcome", "error")))
                    .isEqualTo(1.0);
            assertThat(marty.instrumentationErrors(KafkaTelemetry.CONSUMER_COMPONENT))
                    .isZero();
        }
    }

    @Test
    void recordWithoutHeadersGetsANewCorrelationIdAndANewTrace() throws Exception {
        try (MartyTesting marty = MartyTesting.start("billing")) {
            KafkaTelemetry telemetry = KafkaTelemetry.create(marty.observability());
            String[] seen = new String[1];
            telemetry.process(
                    new ConsumerRecord<>("invoices", 0, 0L, "k", "v"), r -> seen[0] = MDC.get(MdcKeys.CORRELATION_ID));
            SpanData span = marty.awaitSpan(SpanKind.CONSUMER, "process invoices");
            assertThat(span.getParentSpanContext().isValid()).isFalse();
            assertThat(seen[0])
                    .hasSize(36)
                    .isEqualTo(span.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")));
        }
    }

    @Test
    void builderNamesTheBadSetting() {
        try (MartyTesting marty = MartyTesting.start("billing")) {
            assertThatThrownBy(
                            () -> KafkaTelemetry.builder(marty.observability()).maxBatchLinks(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxBatchLinks")
                    .hasMessageContaining("-1");
            assertThatThrownBy(
                            () -> KafkaTelemetry.builder(marty.observability()).consumerGroup(" "))
                    .hasMessageContaining("consumerGroup");
        }
    }
}
