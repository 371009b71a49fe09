package io.marty.observability.demo;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.kafka.KafkaTelemetry;
import io.marty.observability.kafka.RecordHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer of {@link OrderEvents#TOPIC} for {@code marty demo --with-kafka} (runs in the payment
 * service's JVM): each paid order is handled through {@link KafkaTelemetry#process}, so its span
 * joins the checkout's trace and its log line carries the checkout's correlation id.
 *
 * <pre>{@code
 * try (FulfillmentConsumer consumer = FulfillmentConsumer.start(observability, "127.0.0.1:9092")) { ... }
 * }</pre>
 */
public final class FulfillmentConsumer implements AutoCloseable {

    /** Consumer group. */
    public static final String GROUP = "fulfillment";

    private static final Logger log = LoggerFactory.getLogger("demo.fulfillment");

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private FulfillmentConsumer(KafkaTelemetry telemetry, KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
        RecordHandler<String, String> handler = telemetry.wrap(FulfillmentConsumer::handle);
        this.thread = new Thread(() -> loop(telemetry, handler), "demo-fulfillment");
        this.thread.setDaemon(true);
    }

    /** Starts consuming from {@code bootstrapServers} on a thread of its own. */
    public static FulfillmentConsumer start(MartyObservability observability, String bootstrapServers) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(OrderEvents.TOPIC));
        FulfillmentConsumer c = new FulfillmentConsumer(
                KafkaTelemetry.builder(observability).consumerGroup(GROUP).build(), consumer);
        c.thread.start();
        return c;
    }

    /** Starts when {@value OrderEvents#BOOTSTRAP_SETTING} names brokers; {@code null} otherwise. */
    public static FulfillmentConsumer startFromSettings(MartyObservability observability) {
        String bootstrap = DemoSupport.setting(OrderEvents.BOOTSTRAP_SETTING, "");
        return bootstrap.isEmpty() ? null : start(observability, bootstrap);
    }

    private static void handle(ConsumerRecord<String, String> record) {
        long orderId = DemoSupport.toLong(DemoSupport.field(record.value(), "orderId"), -1);
        long amount = DemoSupport.toLong(DemoSupport.field(record.value(), "amountCents"), 0);
        log.atInfo()
                .addKeyValue("category", "business")
                .addKeyValue("amount_cents", amount)
                .log("order {} handed to fulfillment", orderId);
    }

    private void loop(KafkaTelemetry telemetry, RecordHandler<String, String> handler) {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : telemetry.poll(consumer, Duration.ofMillis(500))) {
                    try {
                        handler.handle(record);
                    } catch (Exception e) {
                        log.warn("order event at offset {} not handled: {}", record.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop
        } catch (RuntimeException e) {
            log.error("fulfillment consumer stopped", e);
        } finally {
            consumer.close(java.time.Duration.ofSeconds(5));
        }
    }

    /** Stops the loop and closes the consumer (waits up to 10 s). */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
