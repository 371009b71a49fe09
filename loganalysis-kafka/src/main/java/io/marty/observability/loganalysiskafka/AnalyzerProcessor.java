package io.marty.observability.loganalysiskafka;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.JsonLinesAlertSink;
import io.marty.observability.loganalysis.AnalysisSummary;
import io.marty.observability.loganalysis.LogAnalysisMetrics;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.loganalysis.RuleSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs one {@link LogAnalyzer} per stream task. Time is stream time (record timestamps), so
 * re-processing a topic gives the same alerts. Alerts still in cooldown according to the changelogged
 * cooldown store are not forwarded, so a task moving to another instance does not repeat them.
 */
final class AnalyzerProcessor implements Processor<String, String, String, String> {
    private final RuleSet rules;
    private final Duration tickInterval;
    private final int maxTemplates;
    /** Stream time: the latest record timestamp or punctuation time seen by this task. */
    private final AtomicLong streamMillis = new AtomicLong();
    /** The analyzer's clock shows stream time, so re-processing a topic gives the same alerts. */
    private final Clock clock =
            ((InstantSource) () -> Instant.ofEpochMilli(streamMillis.get())).withZone(ZoneOffset.UTC);

    private final long maxCooldownMillis;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, Long> cooldowns;
    private KeyValueStore<String, String> templates;
    private LogAnalyzer analyzer;
    private long dropped;

    private final LogAnalysisMetrics metrics;

    AnalyzerProcessor(RuleSet rules, Duration tickInterval, int maxTemplates, LogAnalysisMetrics metrics) {
        this.metrics = metrics;
        this.rules = rules;
        this.tickInterval = tickInterval;
        this.maxTemplates = maxTemplates;
        this.maxCooldownMillis = rules.rules().stream()
                .mapToLong(r -> r.cooldown().toMillis())
                .max()
                .orElse(0);
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.cooldowns = context.getStateStore(LogAnalysisTopology.COOLDOWN_STORE);
        this.templates = context.getStateStore(LogAnalysisTopology.TEMPLATE_STORE);
        LogAnalyzer.Builder b = LogAnalyzer.builder()
                .rules(rules)
                .clock(clock)
                .maxTemplates(maxTemplates)
                .serviceName("marty-loganalysis-kafka");
        if (metrics != null) {
            b.metrics(metrics);
        }
        this.analyzer = b.build();
        context.schedule(tickInterval, PunctuationType.STREAM_TIME, ts -> {
            streamMillis.set(ts);
            forward(analyzer.tick());
            flushTemplates();
            expireCooldowns(ts);
        });
    }

    @Override
    public void process(Record<String, String> record) {
        streamMillis.accumulateAndGet(record.timestamp(), Math::max);
        forward(analyzer.acceptLine(record.value()));
    }

    private void forward(List<Alert> alerts) {
        for (Alert a : alerts) {
            String key = a.rule() + "|" + a.groupKey();
            Long last = cooldowns.get(key);
            // The in-memory detector already applied the cooldown; the store covers restarts.
            if (last != null
                    && a.firedAtMillis() > last
                    && a.firedAtMillis() - last < a.cooldown().toMillis()) {
                dropped++;
                continue;
            }
            cooldowns.put(key, a.firedAtMillis());
            context.forward(new Record<>(key, JsonLinesAlertSink.toJson(a), a.firedAtMillis()));
        }
    }

    /**
     * Mirrors the task's templates into the template store: at most maxTemplates entries, ids the
     * miner merged or evicted are deleted.
     */
    private void flushTemplates() {
        AnalysisSummary s = analyzer.summary(maxTemplates);
        java.util.Set<String> live = new java.util.HashSet<>();
        for (AnalysisSummary.TemplateCount t : s.topTemplates()) {
            String id = Long.toString(t.id());
            live.add(id);
            templates.put(id, t.count() + "|" + t.errors() + "|" + t.template());
        }
        List<String> gone = new java.util.ArrayList<>();
        try (KeyValueIterator<String, String> it = templates.all()) {
            it.forEachRemaining(kv -> {
                if (!live.contains(kv.key)) {
                    gone.add(kv.key);
                }
            });
        }
        gone.forEach(templates::delete);
    }

    /** Deletes cooldown entries older than the longest cooldown: the store stays bounded. */
    private void expireCooldowns(long now) {
        List<String> expired = new java.util.ArrayList<>();
        try (KeyValueIterator<String, Long> it = cooldowns.all()) {
            it.forEachRemaining(kv -> {
                if (now - kv.value >= maxCooldownMillis) {
                    expired.add(kv.key);
                }
            });
        }
        expired.forEach(cooldowns::delete);
    }

    /** Alerts not forwarded because the cooldown store said they were recent. */
    long suppressedByStore() {
        return dropped;
    }

    /** Malformed lines seen by this task, by reason. */
    Map<String, Long> malformed() {
        return analyzer.summary(0).malformed();
    }

    @Override
    public void close() {
        flushTemplates();
        analyzer.close();
    }
}
