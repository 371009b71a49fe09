package io.marty.observability.demo;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.kafka.KafkaTelemetry;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order service's order events on Kafka ({@code marty demo --with-kafka}): each paid order is
 * published to {@value #TOPIC} through {@link KafkaTelemetry#wrap}, so the record carries the
 * checkout's trace and correlation id; {@link FulfillmentConsumer} handles it. Without a broker
 * ({@link #none()}) nothing is sent.
 */
public final class OrderEvents implements AutoCloseable {

    /** Topic of paid orders (key: order id, value: {@code {"orderId":..,"amountCents":..}}). */
    public static final String TOPIC = "orders.paid";
    /** Setting (system property or environment variable) holding the brokers' bootstrap servers. */
    public static final String BOOTSTRAP_SETTING = "MARTY_DEMO_KAFKA";

    private static final Logger log = LoggerFactory.getLogger("demo.orders.events");
    private static final OrderEvents NONE = new OrderEvents(null);

    private final Producer<String, String> producer;

    private OrderEvents(Producer<String, String> producer) {
        this.producer = producer;
    }

    /** Publishes nothing. */
    public static OrderEvents none() {
        return NONE;
    }

    /** A publisher to the brokers named by {@value #BOOTSTRAP_SETTING}, or {@link #none()} when unset. */
    public static OrderEvents fromSettings(MartyObservability observability) {
        String bootstrap = DemoSupport.setting(BOOTSTRAP_SETTING, "");
        return bootstrap.isEmpty() ? NONE : publisher(observability, bootstrap);
    }

    /** A publisher to {@code bootstrapServers}. */
    public static OrderEvents publisher(MartyObservability observability, String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // a broker that went away must not hold checkouts: fail the send instead
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        return new OrderEvents(KafkaTelemetry.create(observability)
                .wrap(new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())));
    }

    /** Publishes "order paid" without waiting for the broker; a failure is logged, never thrown. */
    void orderPaid(long orderId, long amountCents) {
        if (producer == null) {
            return;
        }
        String value = "{\"orderId\":" + orderId + ",\"amountCents\":" + amountCents + "}";
        try {
            producer.send(new ProducerRecord<>(TOPIC, Long.toString(orderId), value), (metadata, error) -> {
                if (error != null) {
                    log.warn("order {} event not published: {}", orderId, error.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("order {} event not published: {}", orderId, e.toString());
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
