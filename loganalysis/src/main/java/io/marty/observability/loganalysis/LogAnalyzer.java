package io.marty.observability.loganalysis;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.AlertSink;
import io.marty.observability.loganalysis.detect.Detector;
import io.marty.observability.loganalysis.detect.Detectors;
import io.marty.observability.loganalysis.internal.BoundedMap;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The log analyzer: parses lines (JSON or plain text), assigns each event its template, runs every
 * detector rule and hands alerts to the sinks.
 *
 * <pre>{@code
 * try (LogAnalyzer analyzer = LogAnalyzer.builder()
 *         .rules(RuleSet.load(Path.of("rules.yaml")))   // or RuleSet.defaults()
 *         .addSink(JsonLinesAlertSink.stdout())
 *         .metrics(registry)                            // mmf_log_* metrics
 *         .build()) {
 *     FileTailer.builder(Path.of("/var/log/app.json")).build().run(analyzer::acceptLine, stop);
 * }
 * }</pre>
 *
 * <p>Time: by default an event's own timestamp is its time (so replaying an old file detects what
 * happened then) and the injected {@link Clock} is used for events without one and for {@link
 * #tick()}. Stream time never goes backwards. Thread-safe: calls are serialised.
 */
public final class LogAnalyzer implements AutoCloseable {
    private static final long TICK_MILLIS = 1000;
    private static final int MAX_RECENT_ALERTS = 1000;

    private final List<Detector> detectors;
    private final TemplateExtractor extractor;
    private final LogLineParser parser;
    private final Clock clock;
    private final boolean useEventTime;
    private final List<AlertSink> sinks;
    private final List<Consumer<Alert>> listeners;
    private final LogAnalysisMetrics metrics;
    private final BoundedMap<Long, TemplateStats> templates;

    private long streamTime = Long.MIN_VALUE;
    private long lastTick = Long.MIN_VALUE;
    private long lines;
    private long events;
    private long alertCount;
    private final Map<String, Long> malformed = new LinkedHashMap<>();
    private final Map<String, long[]> perRule = new LinkedHashMap<>();
    private final long[] reportedSuppressed;
    private final long[] reportedEvictions;
    private final java.util.ArrayDeque<Alert> recentAlerts = new java.util.ArrayDeque<>();

    /** Per-template counters for the summary. */
    static final class TemplateStats {
        // Not final: the miner may refine a template's text as evidence grows.
        String text;
        long count;
        long errors;

        TemplateStats(String text) {
            this.text = text;
        }
    }

    private LogAnalyzer(Builder b) {
        List<Detector> ds = new ArrayList<>();
        for (RuleSpec r : b.rules.rules()) {
            ds.add(Detectors.create(r));
        }
        ds.addAll(b.extraDetectors);
        this.detectors = List.copyOf(ds);
        this.extractor = b.extractor;
        this.parser = LogLineParser.create(b.defaultService, b.maxLineLength);
        this.clock = b.clock;
        this.useEventTime = b.useEventTime;
        this.sinks = List.copyOf(b.sinks);
        this.listeners = List.copyOf(b.listeners);
        this.metrics = b.metrics != null
                ? b.metrics
                : b.registry == null ? null : LogAnalysisMetrics.register(b.serviceName, b.registry);
        this.templates = new BoundedMap<>(b.maxTemplates);
        this.reportedSuppressed = new long[detectors.size()];
        this.reportedEvictions = new long[detectors.size()];
        for (Detector d : detectors) {
            perRule.put(d.rule().name(), new long[2]);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The metrics, if a registry was given (sinks use it to count failures). */
    public java.util.Optional<LogAnalysisMetrics> metrics() {
        return java.util.Optional.ofNullable(metrics);
    }

    /**
     * Analyses one line (JSON or plain text). Bad lines are counted (see {@link #summary()} and {@code
     * mmf_log_malformed_lines_total}) and skipped. Returns the alerts raised by this line.
     */
    public synchronized List<Alert> acceptLine(String line) {
        lines++;
        LogLineParser.Result r = parser.parse(line);
        if (!r.ok()) {
            if (!LogLineParser.REASON_BLANK.equals(r.rejectReason())) {
                malformed.merge(r.rejectReason(), 1L, Long::sum);
                if (metrics != null) {
                    metrics.malformed(r.rejectReason());
                }
            }
            return List.of();
        }
        return process(r.event());
    }

    /** Analyses one already-structured event. */
    public synchronized List<Alert> accept(LogEvent event) {
        Objects.requireNonNull(event, "event");
        return process(event);
    }

    /** The OTLP-logs entry point: analyses decoded OTLP records (the console's receiver calls this). */
    public synchronized List<Alert> acceptOtlp(Collection<OtlpLogRecord> records) {
        List<Alert> out = new ArrayList<>();
        for (OtlpLogRecord r : records) {
            if (r == null) {
                malformed.merge("null_record", 1L, Long::sum);
                continue;
            }
            out.addAll(process(r.toEvent()));
        }
        return out;
    }

    /**
     * Lets time-based rules (business drops) see time pass without events, at the clock's time. Call
     * it periodically when tailing live logs.
     */
    public synchronized List<Alert> tick() {
        long now = advance(clock.millis());
        List<Alert> out = new ArrayList<>();
        Consumer<Alert> collector = a -> emit(a, out);
        for (Detector d : detectors) {
            safeTime(d, now, collector);
        }
        lastTick = now;
        syncCounters();
        return out;
    }

    private List<Alert> process(LogEvent e) {
        events++;
        long now = advance(useEventTime && e.hasTimestamp() ? e.timestampMillis() : clock.millis());
        Template t;
        try {
            t = extractor.extract(e.message());
        } catch (RuntimeException ex) {
            // A failing extractor must not stop analysis: fall back to the trivial one.
            t = TemplateExtractor.simple().extract(e.message());
        }
        Template tt = t;
        TemplateStats ts = templates.computeIfAbsent(t.id(), k -> new TemplateStats(tt.text()));
        ts.text = t.text();
        ts.count++;
        if (e.level().atLeast(LogLevel.ERROR)) {
            ts.errors++;
        }
        if (metrics != null) {
            metrics.event(e.level(), e.category());
        }
        List<Alert> out = new ArrayList<>(0);
        Consumer<Alert> collector = a -> emit(a, out);
        for (Detector d : detectors) {
            try {
                d.onEvent(e, t, now, collector);
            } catch (RuntimeException ex) {
                malformed.merge("detector_error:" + d.rule().name(), 1L, Long::sum);
            }
        }
        if (lastTick == Long.MIN_VALUE || now - lastTick >= TICK_MILLIS) {
            lastTick = now;
            for (Detector d : detectors) {
                safeTime(d, now, collector);
            }
            syncCounters();
        }
        return out;
    }

    private void safeTime(Detector d, long now, Consumer<Alert> out) {
        try {
            d.onTime(now, out);
        } catch (RuntimeException ex) {
            malformed.merge("detector_error:" + d.rule().name(), 1L, Long::sum);
        }
    }

    private long advance(long t) {
        if (t > streamTime) {
            streamTime = t;
        }
        return streamTime;
    }

    private void emit(Alert a, List<Alert> out) {
        out.add(a);
        alertCount++;
        long[] c = perRule.get(a.rule());
        if (c != null) {
            c[0]++;
        }
        recentAlerts.addLast(a);
        if (recentAlerts.size() > MAX_RECENT_ALERTS) {
            recentAlerts.removeFirst();
        }
        if (metrics != null) {
            metrics.alert(a);
        }
        for (AlertSink s : sinks) {
            try {
                s.send(a);
            } catch (RuntimeException ex) {
                if (metrics != null) {
                    metrics.sinkFailure(s.name());
                }
            }
        }
        for (Consumer<Alert> l : listeners) {
            try {
                l.accept(a);
            } catch (RuntimeException ignored) {
                // a listener's failure is its own business
            }
        }
    }

    private void syncCounters() {
        for (int i = 0; i < detectors.size(); i++) {
            Detector d = detectors.get(i);
            long s = d.suppressed();
            long ev = d.evictions();
            long[] c = perRule.get(d.rule().name());
            if (c != null) {
                c[1] = s;
            }
            if (metrics != null) {
                metrics.suppressed(d.rule().name(), s - reportedSuppressed[i]);
                metrics.evictions(d.rule().name(), ev - reportedEvictions[i]);
            }
            reportedSuppressed[i] = s;
            reportedEvictions[i] = ev;
        }
        if (metrics != null) {
            metrics.templates(templates.size());
        }
    }

    /** A snapshot of what was analysed: counts, top templates, alerts, detections per rule. */
    public synchronized AnalysisSummary summary(int topTemplates) {
        syncCounters();
        // Aggregate by the id each template ended up under (the miner merges templates over time).
        Map<Long, long[]> merged = new LinkedHashMap<>();
        Map<Long, String> texts = new java.util.HashMap<>();
        for (Map.Entry<Long, TemplateStats> en : templates.view().entrySet()) {
            long id = extractor.finalId(en.getKey());
            long[] c = merged.computeIfAbsent(id, k -> new long[2]);
            c[0] += en.getValue().count;
            c[1] += en.getValue().errors;
            String text = extractor.finalText(id);
            texts.putIfAbsent(id, text != null ? text : en.getValue().text);
        }
        List<AnalysisSummary.TemplateCount> top = merged.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<Long, long[]> en) -> en.getValue()[0])
                        .reversed())
                .limit(topTemplates)
                .map(en -> new AnalysisSummary.TemplateCount(
                        en.getKey(), texts.get(en.getKey()), en.getValue()[0], en.getValue()[1]))
                .collect(Collectors.toList());
        Map<String, AnalysisSummary.RuleCount> rules = new LinkedHashMap<>();
        long evictions = templates.evictions();
        for (Detector d : detectors) {
            long[] c = perRule.get(d.rule().name());
            rules.put(d.rule().name(), new AnalysisSummary.RuleCount(d.rule().type(), c[0], d.suppressed()));
            evictions += d.evictions();
        }
        return new AnalysisSummary(
                lines,
                events,
                Map.copyOf(malformed),
                merged.size(),
                top,
                rules,
                alertCount,
                List.copyOf(recentAlerts),
                evictions);
    }

    public AnalysisSummary summary() {
        return summary(10);
    }

    /** Closes the sinks (they flush what they queued, bounded in time). */
    @Override
    public void close() {
        for (AlertSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closing is best effort
            }
        }
    }

    /** Builder for {@link LogAnalyzer}. */
    public static final class Builder {
        private RuleSet rules;
        private final List<Detector> extraDetectors = new ArrayList<>();
        private TemplateExtractor extractor;
        private Clock clock = Clock.systemUTC();
        private boolean useEventTime = true;
        private final List<AlertSink> sinks = new ArrayList<>();
        private final List<Consumer<Alert>> listeners = new ArrayList<>();
        private PrometheusRegistry registry;
        private LogAnalysisMetrics metrics;
        private String serviceName = "marty-loganalysis";
        private String defaultService = "unknown";
        private int maxTemplates = 10_000;
        private int maxLineLength = LogLineParser.DEFAULT_MAX_LINE_LENGTH;

        private Builder() {}

        /** Detection rules (default {@link RuleSet#defaults()}). */
        public Builder rules(RuleSet rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** Adds a custom detector next to the rule set's. */
        public Builder addDetector(Detector detector) {
            extraDetectors.add(Objects.requireNonNull(detector, "detector"));
            return this;
        }

        /** Template extractor (default: a {@link io.marty.observability.loganalysis.mining.TemplateMiner}). */
        public Builder templateExtractor(TemplateExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /** Clock for events without a timestamp and for {@link #tick()} (tests inject a fake one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether an event's own timestamp is its time (default true); false: always the clock. */
        public Builder useEventTime(boolean useEventTime) {
            this.useEventTime = useEventTime;
            return this;
        }

        public Builder addSink(AlertSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Called with every alert on the analyzer's thread. */
        public Builder addListener(Consumer<Alert> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Registers the {@code mmf_log_*} metrics in this registry. */
        public Builder metrics(PrometheusRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Registers the {@code mmf_log_*} metrics through core's metrics facade (same service label). */
        public Builder metrics(io.marty.observability.core.metrics.MartyMetrics metrics) {
            this.metrics = LogAnalysisMetrics.create(Objects.requireNonNull(metrics, "metrics"));
            return this;
        }

        /**
         * Uses metrics registered beforehand with {@link LogAnalysisMetrics#register}, so HTTP sinks
         * built before the analyzer can count their failures in the same series.
         */
        public Builder metrics(LogAnalysisMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The analyzer's own name: the {@code service} label of its metrics. */
        public Builder serviceName(String serviceName) {
            this.serviceName = requireText("serviceName", serviceName);
            return this;
        }

        /** Service name given to plain-text lines and JSON lines without {@code service_name}. */
        public Builder defaultService(String defaultService) {
            this.defaultService = requireText("defaultService", defaultService);
            return this;
        }

        /** Most templates tracked for the summary (default 10000; least recent evicted). */
        public Builder maxTemplates(int maxTemplates) {
            if (maxTemplates < 1) {
                throw new IllegalArgumentException("maxTemplates must be >= 1, got " + maxTemplates);
            }
            this.maxTemplates = maxTemplates;
            return this;
        }

        /** Longest accepted line; longer ones are counted as {@code too_long} and skipped. */
        public Builder maxLineLength(int maxLineLength) {
            this.maxLineLength = maxLineLength;
            return this;
        }

        public LogAnalyzer build() {
            if (rules == null) {
                rules = RuleSet.defaults();
            }
            if (extractor == null) {
                extractor = TemplateExtractor.mining(io.marty.observability.loganalysis.mining.TemplateMiner.builder()
                        .maxTemplates(maxTemplates)
                        .build());
            }
            return new LogAnalyzer(this);
        }

        private static String requireText(String key, String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(key + " must not be blank, got '" + v + "'");
            }
            return v;
        }
    }
}
