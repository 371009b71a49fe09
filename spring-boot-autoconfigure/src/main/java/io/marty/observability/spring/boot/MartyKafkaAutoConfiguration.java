package io.marty.observability.spring.boot;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.kafka.KafkaTelemetry;
import io.marty.observability.spring.boot.internal.KafkaTracing;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Spring Kafka, when Marty's kafka module is on the class path: producers of every {@code
 * DefaultKafkaProducerFactory} (so every {@link KafkaTemplate}) send with a PRODUCER span and the
 * trace and {@code X-MMF-*} headers, and every record listener runs with the producer's trace,
 * correlation context and MDC, cleared when it returns:
 *
 * <pre>{@code
 * kafkaTemplate.send("orders", id, json);            // inside a request: the request's trace
 *
 * @KafkaListener(topics = "orders")
 * void onOrder(String json) { log.info("shipping"); } // the producer's correlation_id in the MDC
 * }</pre>
 *
 * <p>A {@link KafkaTelemetry} bean of the application's (a consumer group name, a poison-record
 * handler) replaces the default one. Off with {@code marty.kafka.enabled=false}.
 */
@AutoConfiguration(after = MartyAutoConfiguration.class)
@ConditionalOnClass({KafkaTemplate.class, KafkaTelemetry.class})
@ConditionalOnBooleanProperty(name = "marty.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "marty.kafka.enabled", matchIfMissing = true)
@ConditionalOnBean(MartyObservability.class)
public class MartyKafkaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaTelemetry martyKafkaTelemetry(MartyObservability observability) {
        return KafkaTelemetry.create(observability);
    }

    @Bean
    static KafkaTracing martyKafkaTracing(
            ObjectProvider<KafkaTelemetry> telemetry, ObjectProvider<KafkaListenerEndpointRegistry> registries) {
        return new KafkaTracing(telemetry, registries);
    }
}
