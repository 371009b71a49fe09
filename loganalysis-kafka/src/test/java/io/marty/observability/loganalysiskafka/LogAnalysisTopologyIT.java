package io.marty.observability.loganalysiskafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.kafkabroker.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The topology on a real single-node broker (KRaft, child JVM): log lines produced to the logs
 * topic by several producers' keys come out as mined templates in the queryable store and as
 * alerts on the alerts topic, through the real repartition topic.
 */
class LogAnalysisTopologyIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void logLinesOnATopicBecomeTemplatesAndAlerts() throws Exception {
        Path stateDir = Files.createTempDirectory("marty-streams-");
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopics("logs", "log-alerts");
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "loganalysis-it");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            try (KafkaStreams streams =
                    new KafkaStreams(LogAnalysisTopology.builder().build(), p)) {
                streams.start();

                Instant t0 = Instant.now().minusSeconds(120);
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer())) {
                    for (int i = 0; i < 40; i++) {
                        Instant at = t0.plusMillis(i * 500L);
                        producer.send(record(
                                "app-" + (i % 3),
                                at,
                                LogAnalysisTopologyTest.info(
                                        at, "orders", "Handled request " + i + " in " + (10 + i) + " ms")));
                    }
                    for (int i = 0; i < 10; i++) { // 10 failed logins within 95 s: brute force
                        Instant at = t0.plusSeconds(20 + i * 10L);
                        producer.send(record(
                                "auth-" + (i % 2),
                                at,
                                LogAnalysisTopologyTest.failedLogin(at, "alice", "203.0.113.7")));
                    }
                    producer.flush();
                }

                List<JsonNode> alerts = readAlerts(broker, "brute_force_login", Duration.ofSeconds(90));
                assertThat(alerts).extracting(a -> a.get("rule").asText()).contains("brute_force_login");
                JsonNode bruteForce = alerts.stream()
                        .filter(a -> a.get("rule").asText().equals("brute_force_login"))
                        .findFirst()
                        .orElseThrow();
                assertThat(bruteForce.get("explanation").asText()).contains("failed logins for user 'alice'");

                ReadOnlyKeyValueStore<String, String> templates = streams.store(StoreQueryParameters.fromNameAndType(
                        LogAnalysisTopology.TEMPLATE_STORE, QueryableStoreTypes.keyValueStore()));
                List<String> values = new ArrayList<>();
                try (var all = templates.all()) {
                    all.forEachRemaining((KeyValue<String, String> kv) -> values.add(kv.value));
                }
                assertThat(values)
                        .anySatisfy(v -> assertThat(v).startsWith("40|0|").endsWith("|Handled request <*> in <*>"));
            }
        } finally {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    private static List<JsonNode> readAlerts(KafkaBroker broker, String awaited, Duration timeout) throws Exception {
        List<JsonNode> alerts = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("log-alerts", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline
                    && alerts.stream().noneMatch(a -> a.get("rule").asText().equals(awaited))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    alerts.add(MAPPER.readTree(r.value()));
                }
            }
        }
        return alerts;
    }

    private static ProducerRecord<String, String> record(String key, Instant at, String line) {
        return new ProducerRecord<>("logs", null, at.toEpochMilli(), key, line);
    }
}
