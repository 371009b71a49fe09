package io.marty.observability.kafka;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Application code handling a batch of consumed records at once; {@link
 * KafkaTelemetry#processBatch} runs it inside one CONSUMER span linked to each record's producer
 * span.
 *
 * <pre>{@code
 * telemetry.processBatch(telemetry.poll(consumer, Duration.ofMillis(500)), batch -> repository.saveAll(batch));
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface BatchHandler<K, V> {
    /** Handles the records; an exception marks every record of the batch as failed. */
    void handle(List<ConsumerRecord<K, V>> records) throws Exception;
}
