package io.marty.observability.loganalysiskafka;

import io.marty.observability.loganalysis.LogAnalysisMetrics;
import io.marty.observability.loganalysis.LogLineParser;
import io.marty.observability.loganalysis.RuleSet;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The log analyzer (template miner + detection rules of module {@code loganalysis}) as a Kafka
 * Streams topology, for log volumes beyond one process:
 *
 * <pre>
 * logs topic (key: any, value: one log line, MMF JSON or plain text)
 *   → re-key by service_name → repartition topic "&lt;app&gt;-logs-by-service-repartition"
 *   → analyzer processor (one LogAnalyzer per task; stores: cooldowns, templates)
 *   → alerts topic (key: rule|group key, value: alert JSON as the JSON-lines sink writes it)
 * </pre>
 *
 * Keying by service sends every event of a service to the same task, so per-service rules see
 * the whole stream of that service whatever the input partitioning. State lives in two changelogged
 * key-value stores: {@value #COOLDOWN_STORE} (rule + key → last alert time; a task restarted on
 * another instance does not repeat alerts still in cooldown) and {@value #TEMPLATE_STORE} (template
 * id → template text, count, error count; queryable with interactive queries).
 *
 * <pre>{@code
 * Topology topology = LogAnalysisTopology.builder()
 *     .logsTopic("logs").alertsTopic("log-alerts")
 *     .rules(RuleSet.load(Path.of("rules.yaml")))
 *     .build();
 * new KafkaStreams(topology, props).start();
 * }</pre>
 */
public final class LogAnalysisTopology {
    /** Store of last alert time per rule and key. */
    public static final String COOLDOWN_STORE = "mmf-log-cooldowns";
    /** Store of templates: id → "count|errors|template". */
    public static final String TEMPLATE_STORE = "mmf-log-templates";

    private LogAnalysisTopology() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for the topology. */
    public static final class Builder {
        private String logsTopic = "logs";
        private String alertsTopic = "log-alerts";
        private RuleSet rules;
        private boolean partitionByService = true;
        private Duration tickInterval = Duration.ofSeconds(30);
        private int maxTemplates = 10_000;
        private LogAnalysisMetrics metrics;

        private Builder() {}

        /**
         * Counts events, malformed lines, alerts, suppressions and evictions of every task in these
         * {@code mmf_log_*} metrics (e.g. {@code LogAnalysisMetrics.create(observability.metrics())}).
         */
        public Builder metrics(LogAnalysisMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder logsTopic(String topic) {
            this.logsTopic = requireTopic("logsTopic", topic);
            return this;
        }

        public Builder alertsTopic(String topic) {
            this.alertsTopic = requireTopic("alertsTopic", topic);
            return this;
        }

        /** Detection rules (default {@link RuleSet#defaults()}). */
        public Builder rules(RuleSet rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * Re-key by {@code service_name} and repartition (default true). Turn off when the producer
         * already keys logs by service, to save the repartition topic.
         */
        public Builder partitionByService(boolean partitionByService) {
            this.partitionByService = partitionByService;
            return this;
        }

        /** How often (stream time) time-based rules such as business drops are evaluated. */
        public Builder tickInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("tickInterval must be positive, got " + interval);
            }
            this.tickInterval = interval;
            return this;
        }

        /** Templates kept per task (miner and template store). */
        public Builder maxTemplates(int maxTemplates) {
            if (maxTemplates < 1) {
                throw new IllegalArgumentException("maxTemplates must be >= 1, got " + maxTemplates);
            }
            this.maxTemplates = maxTemplates;
            return this;
        }

        public Topology build() {
            if (logsTopic.equals(alertsTopic)) {
                throw new IllegalArgumentException(
                        "logsTopic and alertsTopic must differ, both are '" + logsTopic + "'");
            }
            RuleSet rs = rules == null ? RuleSet.defaults() : rules;
            StreamsBuilder sb = new StreamsBuilder();
            sb.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(COOLDOWN_STORE), Serdes.String(), Serdes.Long()));
            sb.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(TEMPLATE_STORE), Serdes.String(), Serdes.String()));
            KStream<String, String> logs = sb.stream(logsTopic, Consumed.with(Serdes.String(), Serdes.String()));
            if (partitionByService) {
                LogLineParser parser = LogLineParser.create("unknown");
                logs = logs.selectKey((k, line) -> serviceOf(parser, line))
                        .repartition(Repartitioned.<String, String>with(Serdes.String(), Serdes.String())
                                .withName("logs-by-service"));
            }
            int maxT = maxTemplates;
            Duration tick = tickInterval;
            LogAnalysisMetrics m = metrics;
            logs.process(() -> new AnalyzerProcessor(rs, tick, maxT, m), COOLDOWN_STORE, TEMPLATE_STORE)
                    .to(alertsTopic, Produced.with(Serdes.String(), Serdes.String()));
            return sb.build();
        }

        private static String requireTopic(String key, String topic) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException(key + " must not be blank, got '" + topic + "'");
            }
            return topic;
        }
    }

    /** The partition key of a line: its service, "unknown" for plain text and malformed lines. */
    static String serviceOf(LogLineParser parser, String line) {
        if (line == null || line.isEmpty() || line.charAt(0) != '{') {
            return "unknown";
        }
        LogLineParser.Result r = parser.parse(line);
        return r.ok() ? r.event().service() : "unknown";
    }
}
