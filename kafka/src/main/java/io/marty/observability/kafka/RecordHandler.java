package io.marty.observability.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Application code handling one consumed record; {@link KafkaTelemetry#process} runs it with the
 * producer's trace, correlation context and MDC current.
 *
 * <pre>{@code
 * RecordHandler<String, String> handler = record -> orders.ship(record.value());
 * for (ConsumerRecord<String, String> record : telemetry.poll(consumer, Duration.ofMillis(500))) {
 *     telemetry.process(record, handler);
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {
    /** Handles one record; an exception marks the processing as failed ({@code outcome="error"}). */
    void handle(ConsumerRecord<K, V> record) throws Exception;
}
