package io.marty.observability.loganalysiskafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topology in a TopologyTestDriver: logs topic in, alerts topic out, state in stores. */
class LogAnalysisTopologyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> logs;
    private TestOutputTopic<String, String> alerts;

    private void start(Topology topology) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "loganalysis-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        driver = new TopologyTestDriver(topology, p);
        logs = driver.createInputTopic(
                "logs", Serdes.String().serializer(), Serdes.String().serializer());
        alerts = driver.createOutputTopic(
                "log-alerts", Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    static String failedLogin(Instant at, String user, String ip) {
        return "{\"timestamp\":\"" + at + "\",\"level\":\"WARN\",\"service_name\":\"auth\",\"category\":\"security\","
                + "\"message\":\"Authentication failed\",\"context\":{\"user_id\":\"" + user + "\"},"
                + "\"fields\":{\"security_event\":\"authentication_failure\",\"source_ip\":\"" + ip + "\"}}";
    }

    static String info(Instant at, String service, String msg) {
        return "{\"timestamp\":\"" + at + "\",\"level\":\"INFO\",\"service_name\":\"" + service + "\",\"message\":\""
                + msg + "\"}";
    }

    private List<String> rules(List<KeyValue<String, String>> out) {
        return out.stream()
                .map(kv -> {
                    try {
                        return MAPPER.readTree(kv.value).get("rule").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collect(Collectors.toList());
    }

    @Test
    void detectsBruteForceAcrossInputPartitionsAndWritesAlertsAsJson() throws Exception {
        start(LogAnalysisTopology.builder().build());
        for (int i = 0; i < 9; i++) {
            // Keys differ (as if from different producers/partitions); re-keying joins them per service.
            logs.pipeInput(
                    "producer-" + (i % 3),
                    failedLogin(T0.plusSeconds(i * 10), "alice", "203.0.113.7"),
                    T0.plusSeconds(i * 10));
        }
        assertThat(rules(alerts.readKeyValuesToList())).doesNotContain("brute_force_login");
        logs.pipeInput("producer-x", failedLogin(T0.plusSeconds(95), "alice", "203.0.113.7"), T0.plusSeconds(95));
        List<KeyValue<String, String>> out = alerts.readKeyValuesToList();
        assertThat(rules(out)).containsExactly("brute_force_login");
        KeyValue<String, String> bf = out.get(0);
        assertThat(bf.key).isEqualTo("brute_force_login|{user_id=alice}");
        JsonNode a = MAPPER.readTree(bf.value);
        assertThat(a.get("explanation").asText()).contains("10 failed logins for user 'alice'");
        assertThat(a.get("fired_at").asText()).isEqualTo(T0.plusSeconds(95).toString());
        KeyValueStore<String, Long> cooldowns = driver.getKeyValueStore(LogAnalysisTopology.COOLDOWN_STORE);
        assertThat(cooldowns.get("brute_force_login|{user_id=alice}"))
                .isEqualTo(T0.plusSeconds(95).toEpochMilli());
    }

    @Test
    void cooldownInTheStoreSuppressesRepeatsAfterATaskMoved() {
        start(LogAnalysisTopology.builder().build());
        // As if another instance had alerted a minute ago: the restored store holds the time.
        KeyValueStore<String, Long> cooldowns = driver.getKeyValueStore(LogAnalysisTopology.COOLDOWN_STORE);
        cooldowns.put("brute_force_login|{user_id=alice}", T0.toEpochMilli());
        for (int i = 0; i < 10; i++) {
            logs.pipeInput("k", failedLogin(T0.plusSeconds(60 + i), "alice", "203.0.113.7"), T0.plusSeconds(60 + i));
        }
        List<String> fired = rules(alerts.readKeyValuesToList());
        assertThat(fired).doesNotContain("brute_force_login").contains("authentication_failures");
        // Past the cooldown a new detection is forwarded again.
        for (int i = 0; i < 10; i++) {
            logs.pipeInput("k", failedLogin(T0.plusSeconds(400 + i), "alice", "203.0.113.7"), T0.plusSeconds(400 + i));
        }
        assertThat(rules(alerts.readKeyValuesToList())).contains("brute_force_login");
    }

    @Test
    void normalTrafficProducesNoAlertsAndMalformedLinesAreSkipped() throws Exception {
        io.prometheus.metrics.model.registry.PrometheusRegistry registry =
                new io.prometheus.metrics.model.registry.PrometheusRegistry();
        start(LogAnalysisTopology.builder()
                .tickInterval(Duration.ofSeconds(10))
                .metrics(io.marty.observability.loganalysis.LogAnalysisMetrics.register("log-analyzer", registry))
                .build());
        for (int i = 0; i < 300; i++) {
            Instant at = T0.plusSeconds(i);
            logs.pipeInput("k", info(at, i % 2 == 0 ? "orders" : "gateway", "Handled request " + i + " in 12 ms"), at);
            if (i % 100 == 0) {
                logs.pipeInput("k", "{\"level\": broken", at);
                logs.pipeInput("k", "plain line from a legacy app " + i, at);
            }
        }
        assertThat(alerts.readKeyValuesToList()).isEmpty();
        KeyValueStore<String, String> templates = driver.getKeyValueStore(LogAnalysisTopology.TEMPLATE_STORE);
        List<String> values = new java.util.ArrayList<>();
        templates.all().forEachRemaining(kv -> values.add(kv.value));
        assertThat(values).anySatisfy(v -> assertThat(v).endsWith("|Handled request <*> in <*>"));
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
                .write(text, registry.scrape());
        assertThat(text.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("mmf_log_malformed_lines_total{reason=\"invalid_json\",service=\"log-analyzer\"} 3.0");
    }

    @Test
    void customRulesAndServiceKeyedInputWithoutRepartition() throws Exception {
        Topology t = LogAnalysisTopology.builder()
                .partitionByService(false)
                .rules(
                        io.marty.observability.loganalysis.RuleSet.parse(
                                "rules:\n  - {name: any_error, type: threshold, match: {level: [ERROR]}, threshold: 2, window: 1m}\n"))
                .build();
        assertThat(t.describe().toString()).doesNotContain("repartition");
        start(t);
        String err = "{\"timestamp\":\"" + T0 + "\",\"level\":\"ERROR\",\"service_name\":\"db\",\"message\":\"x\"}";
        logs.pipeInput("db", err, T0);
        logs.pipeInput("db", err, T0.plusSeconds(1));
        assertThat(rules(alerts.readKeyValuesToList())).containsExactly("any_error");
    }

    @Test
    void badSettingsFailFast() {
        assertThatThrownBy(() -> LogAnalysisTopology.builder()
                        .logsTopic("x")
                        .alertsTopic("x")
                        .build())
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> LogAnalysisTopology.builder().logsTopic(" ")).hasMessageContaining("logsTopic");
    }
}
