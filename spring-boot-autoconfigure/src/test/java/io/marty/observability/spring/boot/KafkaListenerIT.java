package io.marty.observability.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.marty.observability.core.correlation.MdcKeys;
import io.marty.observability.core.tracing.CorrelationAttributes;
import io.marty.observability.kafkabroker.KafkaBroker;
import io.marty.observability.testing.MartyObservabilityExtension;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Spring Kafka on a real single-node broker (child JVM): a {@code KafkaTemplate} send and a started
 * {@code @KafkaListener} container, nothing Marty-specific in the application's beans. The listener
 * method runs in a CONSUMER span under the send's PRODUCER span, with the producer's correlation id
 * in the MDC, and the MDC is clean again after it.
 */
class KafkaListenerIT {
    private static KafkaBroker broker;

    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("shipping");

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics("orders");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableKafka
    static class App {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();
        static final List<String> MDC_AFTER = new CopyOnWriteArrayList<>();

        @Bean
        DefaultKafkaProducerFactory<String, String> producerFactory() {
            return KafkaBeans.producers(broker.bootstrapServers());
        }

        @Bean
        KafkaTemplate<String, String> kafkaTemplate(DefaultKafkaProducerFactory<String, String> producers) {
            return new KafkaTemplate<>(producers);
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
            ConcurrentKafkaListenerContainerFactory<String, String> factory =
                    KafkaBeans.listeners(broker.bootstrapServers());
            // the consumer thread's MDC once the listener has returned
            factory.setRecordInterceptor(new RecordInterceptor<>() {
                @Override
                public ConsumerRecord<String, String> intercept(
                        ConsumerRecord<String, String> record, Consumer<String, String> consumer) {
                    return record;
                }

                @Override
                public void afterRecord(ConsumerRecord<String, String> record, Consumer<String, String> consumer) {
                    MDC_AFTER.add(String.valueOf(MDC.get(MdcKeys.CORRELATION_ID)));
                }
            });
            return factory;
        }

        @KafkaListener(id = "shipping", topics = "orders")
        void onOrder(String order) {
            SEEN.add(KafkaBeans.seen(order));
        }
    }

    @Test
    void listenerRunsWithTheProducersTraceAndCorrelation() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(MartyAutoConfiguration.class, MartyKafkaAutoConfiguration.class))
                .withUserConfiguration(App.class)
                .withPropertyValues("marty.service.name=shipping", "marty.tracing.exporter=none")
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    KafkaTemplate<String, String> template = context.getBean(KafkaTemplate.class);
                    template.send("orders", "o-1", "order-1").get();
                    SpanData send = marty.testing().awaitSpan(SpanKind.PRODUCER, "send orders");
                    String correlationId = send.getAttributes().get(CorrelationAttributes.CORRELATION_ID);
                    assertThat(correlationId).isNotBlank();

                    await().atMost(Duration.ofSeconds(60)).until(() -> !App.MDC_AFTER.isEmpty());
                    assertThat(App.SEEN).containsExactly("order-1 " + correlationId + " " + send.getTraceId());
                    assertThat(App.MDC_AFTER).containsExactly("null");
                    SpanData process = marty.testing().awaitSpan(SpanKind.CONSUMER, "process orders");
                    assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
                    assertThat(process.getAttributes().get(CorrelationAttributes.CORRELATION_ID))
                            .isEqualTo(correlationId);
                });
    }
}
