package io.marty.observability.kafka;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.kafka.internal.KafkaInstrumentation;
import io.marty.observability.kafka.internal.TracingProducer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.jspecify.annotations.Nullable;

/**
 * Kafka tracing, correlation and metrics for one {@link MartyObservability}.
 *
 * <p>Producer side: {@link #wrap(Producer)} returns a producer whose {@code send} opens a PRODUCER
 * span {@code send <topic>} (child of the current context) and writes {@code traceparent}, {@code
 * tracestate}, {@code baggage} and the {@code X-MMF-*} correlation headers into the record (a
 * correlation id is created when the caller has none); the span ends on the broker's answer with
 * partition and offset.
 *
 * <p>Consumer side: {@link #process} runs a {@link RecordHandler} inside a CONSUMER span {@code
 * process <topic>} that is a child of the record's producer span, with the producer's correlation
 * id (a new request id, the producer's as parent) in the OTel context and so in the SLF4J MDC:
 * log lines written while handling the record carry the producer's correlation id. Everything is
 * detached when the handler returns. {@link #processBatch} runs a {@link BatchHandler} in one span
 * linked to every record's producer span. {@link #poll} skips records that cannot be
 * deserialized instead of failing the loop.
 *
 * <p>Metrics: {@value #MESSAGES_TOTAL}{@code {service,direction,topic,outcome}} (direction {@code
 * producer|consumer}, outcome {@code success|error|poison}) and {@value #PROCESS_DURATION}{@code
 * {service,topic,outcome}}. Failures of the instrumentation itself, malformed trace or {@code
 * X-MMF-*} headers and poison records are counted in {@code mmf_instrumentation_errors_total}
 * ({@code component} {@value #PRODUCER_COMPONENT} or {@value #CONSUMER_COMPONENT}) and never reach
 * the application.
 *
 * <pre>{@code
 * KafkaTelemetry telemetry = KafkaTelemetry.create(observability);
 * Producer<String, String> producer = telemetry.wrap(new KafkaProducer<>(config));
 * producer.send(new ProducerRecord<>("orders", id, json));      // inside a request: same trace
 *
 * RecordHandler<String, String> handler = record -> log.info("shipping {}", record.key());
 * while (running) {
 *     for (ConsumerRecord<String, String> record : telemetry.poll(consumer, Duration.ofMillis(500))) {
 *         telemetry.process(record, handler);                   // MDC holds the producer's correlation id
 *     }
 * }
 * }</pre>
 */
public final class KafkaTelemetry {

    /** Counter of records sent and processed. */
    public static final String MESSAGES_TOTAL = KafkaInstrumentation.MESSAGES_TOTAL;
    /** Histogram of the time a handler took. */
    public static final String PROCESS_DURATION = KafkaInstrumentation.PROCESS_DURATION;
    /** {@code component} label of producer-side instrumentation failures. */
    public static final String PRODUCER_COMPONENT = KafkaInstrumentation.PRODUCER_COMPONENT;
    /** {@code component} label of consumer-side failures, malformed headers and poison records. */
    public static final String CONSUMER_COMPONENT = KafkaInstrumentation.CONSUMER_COMPONENT;
    /** Default cap on the links of a batch span. */
    public static final int DEFAULT_MAX_BATCH_LINKS = 128;

    private final KafkaInstrumentation instrumentation;

    private KafkaTelemetry(KafkaInstrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** Telemetry with the default settings. */
    public static KafkaTelemetry create(MartyObservability observability) {
        return builder(observability).build();
    }

    /** For a consumer group name, a batch link cap or a poison record handler. */
    public static Builder builder(MartyObservability observability) {
        return new Builder(Objects.requireNonNull(observability, "observability"));
    }

    /** A producer that traces each {@code send}; closing it closes {@code producer}. */
    public <K, V> Producer<K, V> wrap(Producer<K, V> producer) {
        return new TracingProducer<>(Objects.requireNonNull(producer, "producer"), instrumentation);
    }

    /**
     * Runs {@code handler} for {@code record} with the record's trace, correlation context and MDC
     * current (see the class comment); the handler's exception is rethrown unchanged after the span
     * and metrics record it.
     */
    public <K, V> void process(ConsumerRecord<K, V> record, RecordHandler<K, V> handler) throws Exception {
        instrumentation.process(Objects.requireNonNull(record, "record"), Objects.requireNonNull(handler, "handler"));
    }

    /** {@code handler} wrapped so that each call goes through {@link #process}. */
    public <K, V> RecordHandler<K, V> wrap(RecordHandler<K, V> handler) {
        Objects.requireNonNull(handler, "handler");
        return record -> instrumentation.process(record, handler);
    }

    /**
     * Runs {@code handler} once for all {@code records} in one CONSUMER span with a link to each
     * record's producer span (up to the link cap) and {@code messaging.batch.message_count}; the
     * correlation id is the records' own when they all share one, a new one otherwise. To log with
     * each record's own correlation id, call {@link #process} per record inside the batch handler.
     */
    public <K, V> void processBatch(Iterable<ConsumerRecord<K, V>> records, BatchHandler<K, V> handler)
            throws Exception {
        instrumentation.processBatch(
                Objects.requireNonNull(records, "records"), Objects.requireNonNull(handler, "handler"));
    }

    /**
     * {@code consumer.poll(timeout)}, except that a record the deserializers reject (a poison
     * record) does not stop the loop: it is counted ({@code outcome="poison"}), recorded as an error
     * span in its producer's trace, passed to the poison record handler and skipped by seeking past
     * it; that call returns no records.
     */
    public <K, V> ConsumerRecords<K, V> poll(
            org.apache.kafka.clients.consumer.Consumer<K, V> consumer, Duration timeout) {
        return instrumentation.poll(Objects.requireNonNull(consumer, "consumer"), timeout);
    }

    /** Settings; {@link #build()} makes the telemetry. */
    public static final class Builder {
        private final MartyObservability observability;
        private @Nullable String consumerGroup;
        private int maxBatchLinks = DEFAULT_MAX_BATCH_LINKS;
        private @Nullable Consumer<RecordDeserializationException> poisonHandler;

        private Builder(MartyObservability observability) {
            this.observability = observability;
        }

        /** Reported as {@code messaging.consumer.group.name} on consumer spans. */
        public Builder consumerGroup(String group) {
            Objects.requireNonNull(group, "group");
            if (group.isBlank()) {
                throw new IllegalArgumentException("consumerGroup must not be blank");
            }
            this.consumerGroup = group;
            return this;
        }

        /** Cap on the links of a batch span (default {@value #DEFAULT_MAX_BATCH_LINKS}); 0 to 10000. */
        public Builder maxBatchLinks(int max) {
            if (max < 0 || max > 10_000) {
                throw new IllegalArgumentException("maxBatchLinks must be between 0 and 10000, got " + max);
            }
            this.maxBatchLinks = max;
            return this;
        }

        /**
         * Called with each poison record {@link #poll} skips, before it seeks past it (e.g. to publish
         * the raw bytes to a dead-letter topic); an exception it throws is counted, not propagated.
         */
        public Builder onPoisonRecord(Consumer<RecordDeserializationException> handler) {
            this.poisonHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public KafkaTelemetry build() {
            return new KafkaTelemetry(
                    new KafkaInstrumentation(observability, consumerGroup, maxBatchLinks, poisonHandler));
        }
    }
}
