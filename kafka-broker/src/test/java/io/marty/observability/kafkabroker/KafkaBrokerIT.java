package io.marty.observability.kafkabroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A real broker: a record goes through it, and stopping removes the process and its directory. */
class KafkaBrokerIT {

    @Test
    void recordRoundTripsAndCloseStopsTheChildAndDeletesItsDirectory() throws Exception {
        KafkaBroker broker = KafkaBroker.start();
        Path dir = broker.directory();
        ProcessHandle child = ProcessHandle.of(broker.pid()).orElseThrow();
        try {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            broker.createTopics("round-trip");
            Map<String, Object> common = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            RecordMetadata sent;
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
                sent = producer.send(new ProducerRecord<>("round-trip", "k", "hello"))
                        .get();
            }
            assertThat(sent.offset()).isZero();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG, "round-trip",
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("round-trip"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                ConsumerRecord<String, String> got = null;
                while (got == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        got = r;
                    }
                }
                assertThat(got).isNotNull();
                assertThat(got.value()).isEqualTo("hello");
            }
        } finally {
            broker.close();
        }
        assertThat(child.isAlive()).isFalse();
        assertThat(broker.isAlive()).isFalse();
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void builderRejectsLauncherOwnedPropertiesAndNonPositiveTimeouts() {
        assertThatThrownBy(() -> KafkaBroker.builder().property("listeners", "PLAINTEXT://:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
        assertThatThrownBy(() -> KafkaBroker.builder().startTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startTimeout");
    }
}
