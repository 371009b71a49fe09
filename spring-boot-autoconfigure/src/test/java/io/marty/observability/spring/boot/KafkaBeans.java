package io.marty.observability.spring.boot;

import io.marty.observability.core.correlation.MdcKeys;
import io.opentelemetry.api.trace.Span;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.MDC;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/** The Spring Kafka beans of the Kafka tests, as an application (or Boot) defines them. */
final class KafkaBeans {
    private KafkaBeans() {}

    static DefaultKafkaProducerFactory<String, String> producers(String bootstrapServers) {
        return new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** Listener containers of group {@code shipping}, reading from the earliest offset. */
    static ConcurrentKafkaListenerContainerFactory<String, String> listeners(String bootstrapServers) {
        ConcurrentKafkaListenerContainerFactory<String, String> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "shipping",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class)));
        return factory;
    }

    /** What a listener saw: {@code "<value> <MDC correlation_id> <current trace id>"}. */
    static String seen(String value) {
        return value + " " + MDC.get(MdcKeys.CORRELATION_ID) + " "
                + Span.current().getSpanContext().getTraceId();
    }
}
