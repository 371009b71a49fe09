package io.marty.observability.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.marty.observability.core.correlation.MdcKeys;
import io.marty.observability.jdbc.MartyDataSource;
import io.marty.observability.kafka.KafkaTelemetry;
import io.marty.observability.redis.MartyRedisCommandListener;
import io.marty.observability.spring.boot.internal.KafkaTracing;
import io.marty.observability.spring.boot.internal.TracingMessageListener;
import io.marty.observability.testing.MartyObservabilityExtension;
import io.marty.observability.testing.RedisServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;

/**
 * The JDBC, Redis and Kafka auto-configurations in contexts: applied to the beans Spring uses, not
 * applied when switched off or when the Marty module is not on the class path.
 */
class DataAutoConfigurationTest {

    private static final AutoConfigurations MARTY = AutoConfigurations.of(
            MartyAutoConfiguration.class,
            MartyJdbcAutoConfiguration.class,
            MartyRedisAutoConfiguration.class,
            MartyKafkaAutoConfiguration.class);

    private static RedisServer redis;

    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("data-app");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(MARTY)
            .withPropertyValues(
                    "marty.service.name=data-app", "marty.tracing.exporter=none", "marty.metrics.jvm=false");

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    // --- JDBC

    @Configuration(proxyBeanMethods = false)
    static class DataSources {
        @Bean
        DataSource dataSource() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:data-app;DB_CLOSE_DELAY=-1");
            return h2;
        }

        @Bean
        DataSource alreadyTraced() {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:data-app-2");
            return MartyDataSource.wrap(
                    h2, io.marty.observability.core.MartyObservability.current().orElseThrow());
        }
    }

    @Test
    void dataSourceBeansAreWrappedOnceWithThePoolReachable() throws Exception {
        runner.withUserConfiguration(DataSources.class).run(context -> {
            DataSource dataSource = context.getBean("dataSource", DataSource.class);
            assertThat(dataSource).isInstanceOf(MartyDataSource.class);
            assertThat(dataSource.unwrap(JdbcDataSource.class)).isInstanceOf(JdbcDataSource.class);
            MartyDataSource traced = context.getBean("alreadyTraced", MartyDataSource.class);
            assertThat(traced.delegate()).isInstanceOf(JdbcDataSource.class);

            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id INT)");
                s.executeQuery("SELECT id FROM orders").close();
            }
            SpanData select = marty.testing().awaitSpan(SpanKind.CLIENT, "SELECT orders");
            assertThat(select.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("db.system.name")))
                    .isEqualTo("h2");
        });
    }

    @Test
    void dataSourcesStayUnwrappedWhenDisabledOrWithoutTheJdbcModule() {
        runner.withUserConfiguration(DataSources.class)
                .withPropertyValues("marty.jdbc.enabled=false")
                .run(context -> assertThat(context.getBean("dataSource")).isInstanceOf(JdbcDataSource.class));
        runner.withUserConfiguration(DataSources.class)
                .withClassLoader(new FilteredClassLoader(MartyDataSource.class))
                .run(context -> {
                    assertThat(context).doesNotHaveBean("martyDataSourceTracing");
                    assertThat(context.getBean("dataSource")).isInstanceOf(JdbcDataSource.class);
                });
    }

    @Test
    void invalidSlowQueryThresholdFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(DataSources.class)
                .withPropertyValues("marty.jdbc.slow-query-threshold=0s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("marty.jdbc.slow-query-threshold"));
    }

    // --- Redis

    @Configuration(proxyBeanMethods = false)
    static class Lettuce {
        @Bean
        LettuceConnectionFactory redisConnectionFactory() {
            return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        }

        @Bean
        StringRedisTemplate redisTemplate(LettuceConnectionFactory factory) {
            return new StringRedisTemplate(factory);
        }
    }

    private double cacheOps(String cache, String operation, String result) {
        return marty.testing()
                .sum("mmf_cache_operations_total", Map.of("cache", cache, "operation", operation, "result", result));
    }

    @Test
    void springDataRedisCommandsAreTraced() {
        runner.withUserConfiguration(Lettuce.class)
                .withPropertyValues("marty.redis.cache=orders")
                .run(context -> {
                    StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
                    assertThat(template.opsForValue().get("order:missing")).isNull();
                    SpanData get = marty.testing().awaitSpan(SpanKind.CLIENT, "GET");
                    assertThat(get.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("server.port")))
                            .isEqualTo(redis.port());
                    assertThat(cacheOps("orders", "GET", "miss")).isEqualTo(1.0);
                });
    }

    @Test
    void redisCommandsAreNotTracedWhenDisabledOrWithoutTheRedisModule() {
        runner.withUserConfiguration(Lettuce.class)
                .withPropertyValues("marty.redis.enabled=false")
                .run(context -> {
                    context.getBean(StringRedisTemplate.class).opsForValue().get("order:missing");
                    assertThat(cacheOps("redis", "GET", "miss")).isZero();
                });
        runner.withUserConfiguration(Lettuce.class)
                .withClassLoader(new FilteredClassLoader(MartyRedisCommandListener.class))
                .run(context -> {
                    assertThat(context).doesNotHaveBean("martyRedisTracing");
                    context.getBean(StringRedisTemplate.class).opsForValue().get("order:missing");
                    assertThat(cacheOps("redis", "GET", "miss")).isZero();
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainLettuce {
        @Bean(destroyMethod = "shutdown")
        RedisClient redisClient() {
            return RedisClient.create(redis.uri());
        }
    }

    @Test
    void lettuceClientBeansAreTracedWithoutSpringDataRedis() {
        runner.withUserConfiguration(PlainLettuce.class)
                .withClassLoader(new FilteredClassLoader(LettuceConnectionFactory.class))
                .run(context -> {
                    try (var connection = context.getBean(RedisClient.class).connect()) {
                        connection.sync().set("k", "v");
                    }
                    assertThat(cacheOps("redis", "SET", "success")).isEqualTo(1.0);
                });
    }

    // --- Kafka

    /** A listener container as Boot builds one; not started (no broker here), called as a container would. */
    @Configuration(proxyBeanMethods = false)
    @EnableKafka
    static class Kafka {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        @Bean
        DefaultKafkaProducerFactory<String, String> producerFactory() {
            return KafkaBeans.producers("127.0.0.1:9");
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
            ConcurrentKafkaListenerContainerFactory<String, String> factory = KafkaBeans.listeners("127.0.0.1:9");
            factory.setAutoStartup(false);
            return factory;
        }

        @KafkaListener(id = "shipping", topics = "orders")
        void onOrder(String order) {
            SEEN.add(KafkaBeans.seen(order));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kafkaTemplateProducersAndKafkaListenersCarryTheTraceAndCorrelation() {
        Kafka.SEEN.clear();
        runner.withUserConfiguration(Kafka.class).run(context -> {
            assertThat(context).hasSingleBean(KafkaTelemetry.class).hasSingleBean(KafkaTracing.class);
            DefaultKafkaProducerFactory<String, String> producers = context.getBean(DefaultKafkaProducerFactory.class);
            assertThat(producers.getPostProcessors()).hasSize(1);
            ProducerPostProcessor<String, String> wrap =
                    producers.getPostProcessors().get(0);

            // what the factory does with each producer it creates, on kafka-clients' in-memory producer
            MockProducer<String, String> inMemory =
                    new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
            Producer<String, String> producer = wrap.apply(inMemory);
            producer.send(new ProducerRecord<>("orders", "o-1", "order-1"));
            SpanData send = marty.testing().awaitSpan(SpanKind.PRODUCER, "send orders");
            ProducerRecord<String, String> sent = inMemory.history().get(0);
            String correlationId = new String(
                    sent.headers().lastHeader("X-MMF-Correlation-ID").value(), java.nio.charset.StandardCharsets.UTF_8);

            AbstractMessageListenerContainer<String, String> container =
                    (AbstractMessageListenerContainer<String, String>)
                            context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("shipping");
            Object listener = container.getContainerProperties().getMessageListener();
            assertThat(listener).isInstanceOf(TracingMessageListener.class);
            ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 0, 7L, "o-1", "order-1");
            for (Header h : sent.headers()) {
                record.headers().add(h);
            }
            ((MessageListener<String, String>) listener).onMessage(record, null, null);

            assertThat(Kafka.SEEN).containsExactly("order-1 " + correlationId + " " + send.getTraceId());
            assertThat(MDC.get(MdcKeys.CORRELATION_ID)).isNull();
            SpanData process = marty.testing().awaitSpan(SpanKind.CONSUMER, "process orders");
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        });
    }

    @Test
    void kafkaIsLeftAloneWhenDisabledOrWithoutTheKafkaModule() {
        runner.withUserConfiguration(Kafka.class)
                .withPropertyValues("marty.kafka.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(KafkaTracing.class);
                    assertThat(context.getBean(DefaultKafkaProducerFactory.class)
                                    .getPostProcessors())
                            .isEmpty();
                    assertThat(context.getBean(KafkaListenerEndpointRegistry.class)
                                    .getListenerContainer("shipping")
                                    .getContainerProperties()
                                    .getMessageListener())
                            .isNotInstanceOf(TracingMessageListener.class);
                });
        runner.withUserConfiguration(Kafka.class)
                .withClassLoader(new FilteredClassLoader(KafkaTelemetry.class))
                .run(context -> {
                    assertThat(context).doesNotHaveBean(KafkaTracing.class);
                    assertThat(context.getBean(DefaultKafkaProducerFactory.class)
                                    .getPostProcessors())
                            .isEmpty();
                });
    }
}
