package io.marty.observability.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.correlation.Correlation;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MdcKeys;
import io.marty.observability.kafkabroker.KafkaBroker;
import io.marty.observability.testing.LogCapture;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Consumer robustness and batches on a real broker: poison records and malformed headers are
 * counted and skipped without stopping the loop, a batch span links every producer span, and the
 * producer sends its records when it cannot write the headers.
 */
class KafkaConsumerSideIT {

    private static final AttributeKey<String> CORRELATION = AttributeKey.stringKey("mmf.correlation_id");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PRODUCER_SPAN_ID = "00f067aa0ba902b7";

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics("payments", "events", "shared", "readonly");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void poisonRecordsAndMalformedHeadersAreCountedAndNeverStopTheConsumer() throws Exception {
        try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            raw.send(new ProducerRecord<>("payments", null, null, null, intBytes(1), new RecordHeaders()))
                    .get();
            RecordHeaders traced = new RecordHeaders();
            traced.add("traceparent", utf8("00-" + TRACE_ID + "-" + PRODUCER_SPAN_ID + "-01"));
            traced.add("X-MMF-Correlation-ID", utf8("poison-flow"));
            raw.send(new ProducerRecord<>("payments", null, null, null, new byte[] {1, 2, 3}, traced))
                    .get(); // 3 bytes: IntegerDeserializer rejects it
            RecordHeaders malformed = new RecordHeaders();
            malformed.add("traceparent", utf8("00-not-a-trace-01"));
            malformed.add("X-MMF-Correlation-ID", utf8("evil\r\nSet-Cookie: x"));
            malformed.add("X-MMF-User-ID", new byte[] {(byte) 0xC3, (byte) 0x28}); // not UTF-8
            raw.send(new ProducerRecord<>("payments", null, null, null, intBytes(3), malformed))
                    .get();
        }
        List<RecordDeserializationException> poisoned = new CopyOnWriteArrayList<>();
        try (MartyTesting marty = MartyTesting.start("payments-consumer");
                LogCapture instrumentationLog = new LogCapture();
                KafkaConsumer<String, Integer> consumer = assigned("payments", new IntegerDeserializer())) {
            KafkaTelemetry telemetry = KafkaTelemetry.builder(marty.observability())
                    .onPoisonRecord(poisoned::add)
                    .build();
            List<Integer> handled = new ArrayList<>();
            List<String> correlationIds = new ArrayList<>();
            RecordHandler<String, Integer> handler = record -> {
                handled.add(record.value());
                correlationIds.add(MDC.get(MdcKeys.CORRELATION_ID));
            };
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (handled.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Integer> record : telemetry.poll(consumer, Duration.ofMillis(200))) {
                    telemetry.process(record, handler);
                }
            }

            assertThat(handled).containsExactly(1, 3);
            assertThat(poisoned)
                    .singleElement()
                    .satisfies(e -> assertThat(e.offset()).isEqualTo(1));
            assertThat(consumed(marty, "payments", "poison")).isEqualTo(1.0);
            assertThat(consumed(marty, "payments", "success")).isEqualTo(2.0);
            // the poison record shows up as an error in its producer's trace
            SpanData poisonSpan = marty.spans().stream()
                    .filter(s ->
                            s.getKind() == SpanKind.CONSUMER && s.getTraceId().equals(TRACE_ID))
                    .findFirst()
                    .orElseThrow();
            assertThat(poisonSpan.getParentSpanId()).isEqualTo(PRODUCER_SPAN_ID);
            assertThat(poisonSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(poisonSpan.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo("poison");
            assertThat(poisonSpan.getAttributes().get(CORRELATION)).isEqualTo("poison-flow");
            // the malformed values are neither used nor echoed: a fresh correlation id and trace
            assertThat(correlationIds.get(1)).isNotNull().doesNotContain("evil").hasSize(36);
            SpanData malformedSpan = marty.spans().stream()
                    .filter(s -> s.getKind() == SpanKind.CONSUMER
                            && Long.valueOf(2)
                                    .equals(s.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))))
                    .findFirst()
                    .orElseThrow();
            assertThat(malformedSpan.getParentSpanContext().isValid()).isFalse();
            // 1 poison record + 3 malformed headers, logged throttled
            instrumentationLog.assertCountedAndThrottled(marty, KafkaTelemetry.CONSUMER_COMPONENT, 4);
            assertThat(instrumentationLog.mentioning("evil")).isEmpty();
        }
    }

    @Test
    void batchSpanLinksEveryProducerSpanAndKeepsASharedCorrelationId() throws Exception {
        try (MartyTesting marty = MartyTesting.start("events-service")) {
            KafkaTelemetry telemetry = KafkaTelemetry.create(marty.observability());
            try (Producer<String, String> producer = telemetry.wrap(stringProducer())) {
                for (int i = 0; i < 3; i++) { // three sends without a caller context: three traces
                    producer.send(new ProducerRecord<>("events", "e" + i, "v" + i))
                            .get();
                }
                CorrelationContext shared =
                        CorrelationContext.builder().correlationId("batch-7").build();
                Correlation.withCorrelation(shared, (Runnable) () -> {
                    for (int i = 0; i < 2; i++) {
                        try {
                            producer.send(new ProducerRecord<>("shared", "s" + i, "v" + i))
                                    .get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
            List<SpanData> producerSpans = marty.spans().stream()
                    .filter(s -> s.getKind() == SpanKind.PRODUCER)
                    .toList();
            assertThat(producerSpans).hasSize(5);

            List<String> batchCorrelation = new ArrayList<>();
            BatchHandler<String, String> handler = batch -> batchCorrelation.add(MDC.get(MdcKeys.CORRELATION_ID));
            try (KafkaConsumer<String, String> events = assigned("events", new StringDeserializer());
                    KafkaConsumer<String, String> sharedTopic = assigned("shared", new StringDeserializer())) {
                telemetry.processBatch(pollAtLeast(telemetry, events, 3), handler);
                telemetry.processBatch(pollAtLeast(telemetry, sharedTopic, 2), handler);
            }

            List<SpanData> batches = marty.spans().stream()
                    .filter(s -> s.getKind() == SpanKind.CONSUMER)
                    .toList();
            assertThat(batches).extracting(SpanData::getName).containsExactly("process events", "process shared");
            SpanData events = batches.get(0);
            assertThat(events.getLinks())
                    .extracting(LinkData::getSpanContext)
                    .extracting(SpanContext::getSpanId)
                    .containsExactlyElementsOf(producerSpans.subList(0, 3).stream()
                            .map(SpanData::getSpanId)
                            .toList());
            assertThat(events.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count")))
                    .isEqualTo(3L);
            List<String> eventCorrelations = producerSpans.subList(0, 3).stream()
                    .map(s -> s.getAttributes().get(CORRELATION))
                    .toList();
            assertThat(eventCorrelations).doesNotHaveDuplicates().doesNotContainNull();
            assertThat(batchCorrelation.get(0)).isNotNull().isNotIn(eventCorrelations);
            assertThat(batchCorrelation.get(1)).isEqualTo("batch-7");
            assertThat(batches.get(1).getAttributes().get(CORRELATION)).isEqualTo("batch-7");
            assertThat(consumed(marty, "events", "success")).isEqualTo(3.0);
            assertThat(consumed(marty, "shared", "success")).isEqualTo(2.0);
            assertThat(MDC.get(MdcKeys.CORRELATION_ID)).isNull();
        }
    }

    @Test
    void producerSendsARecordWhoseHeadersItCannotWriteAndCountsEachFailure() throws Exception {
        int sends = 7;
        try (MartyTesting marty = MartyTesting.start("readonly-producer");
                LogCapture instrumentationLog = new LogCapture()) {
            KafkaTelemetry telemetry = KafkaTelemetry.create(marty.observability());
            // a record sent once has read-only headers: a retry loop re-sending it hits that
            ProducerRecord<String, String> record = new ProducerRecord<>("readonly", "k", "v");
            try (KafkaProducer<String, String> plain = stringProducer();
                    Producer<String, String> producer = telemetry.wrap(stringProducer())) {
                plain.send(record).get();
                for (int i = 0; i < sends; i++) {
                    producer.send(record).get();
                }
            }
            try (KafkaConsumer<String, String> consumer = assigned("readonly", new StringDeserializer())) {
                List<ConsumerRecord<String, String>> got = pollAtLeast(telemetry, consumer, sends + 1);
                assertThat(got)
                        .hasSize(sends + 1)
                        .allSatisfy(r -> assertThat(r.headers().toArray()).isEmpty());
            }
            assertThat(marty.sum(
                            KafkaTelemetry.MESSAGES_TOTAL,
                            Map.of("direction", "producer", "topic", "readonly", "outcome", "success")))
                    .isEqualTo(sends);
            // traceparent, X-MMF-Correlation-ID and X-MMF-Request-ID refused on each send
            instrumentationLog.assertCountedAndThrottled(marty, KafkaTelemetry.PRODUCER_COMPONENT, 3 * sends);
        }
    }

    private static double consumed(MartyTesting marty, String topic, String outcome) {
        return marty.sum(
                KafkaTelemetry.MESSAGES_TOTAL, Map.of("direction", "consumer", "topic", topic, "outcome", outcome));
    }

    private static <V> List<ConsumerRecord<String, V>> pollAtLeast(
            KafkaTelemetry telemetry, KafkaConsumer<String, V> consumer, int n) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (records.size() < n && System.nanoTime() < deadline) {
            telemetry.poll(consumer, Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).as("records polled within 60 s").hasSizeGreaterThanOrEqualTo(n);
        return records;
    }

    private static <V> KafkaConsumer<String, V> assigned(String topic, Deserializer<V> values) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                values);
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static KafkaProducer<String, String> stringProducer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer());
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
