package io.marty.observability.spring.boot.internal;

import io.marty.observability.kafka.KafkaTelemetry;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Spring Kafka through the kafka module. Producers: a {@link ProducerPostProcessor} on every {@link
 * DefaultKafkaProducerFactory} bean wraps each producer the factory creates ({@code KafkaTemplate}
 * sends are PRODUCER spans with the trace and correlation headers). Listeners: before the listener
 * registry starts its containers, each record listener (every {@code @KafkaListener} method, and
 * container beans) is wrapped in a {@link TracingMessageListener}. Batch listeners and containers
 * registered after startup are left as they are.
 */
public final class KafkaTracing implements BeanPostProcessor, SmartLifecycle {
    private final ObjectProvider<KafkaTelemetry> telemetry;
    private final ObjectProvider<KafkaListenerEndpointRegistry> registries;
    private volatile boolean running;

    public KafkaTracing(
            ObjectProvider<KafkaTelemetry> telemetry, ObjectProvider<KafkaListenerEndpointRegistry> registries) {
        this.telemetry = telemetry;
        this.registries = registries;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DefaultKafkaProducerFactory<?, ?> factory) {
            traceProducers(factory);
        }
        return bean;
    }

    private <K, V> void traceProducers(DefaultKafkaProducerFactory<K, V> factory) {
        if (factory.getPostProcessors().stream().noneMatch(TracingProducers.class::isInstance)) {
            factory.addPostProcessor(new TracingProducers<>(telemetry));
        }
    }

    @Override
    public void start() {
        KafkaTelemetry kafka = telemetry.getIfAvailable();
        if (kafka != null) {
            registries
                    .orderedStream()
                    .flatMap(registry -> registry.getAllListenerContainers().stream())
                    .forEach(container -> traceListener(container, kafka));
        }
        running = true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void traceListener(MessageListenerContainer container, KafkaTelemetry kafka) {
        if (container instanceof AbstractMessageListenerContainer<?, ?> c
                && c.getContainerProperties().getMessageListener() instanceof MessageListener listener
                && !(listener instanceof TracingMessageListener)) {
            c.setupMessageListener(new TracingMessageListener<>(listener, kafka));
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Just before the registries' phase: their containers exist and have not started. */
    @Override
    public int getPhase() {
        return registries
                        .orderedStream()
                        .mapToInt(KafkaListenerEndpointRegistry::getPhase)
                        .min()
                        .orElse(AbstractMessageListenerContainer.DEFAULT_PHASE)
                - 1;
    }

    /** Wraps each producer a factory creates; the telemetry is looked up when the first one is. */
    private static final class TracingProducers<K, V> implements ProducerPostProcessor<K, V> {
        private final ObjectProvider<KafkaTelemetry> telemetry;

        TracingProducers(ObjectProvider<KafkaTelemetry> telemetry) {
            this.telemetry = telemetry;
        }

        @Override
        public Producer<K, V> apply(Producer<K, V> producer) {
            KafkaTelemetry kafka = telemetry.getIfAvailable();
            return kafka == null ? producer : kafka.wrap(producer);
        }
    }
}
