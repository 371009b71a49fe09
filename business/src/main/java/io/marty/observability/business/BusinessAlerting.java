package io.marty.observability.business;

import io.marty.observability.business.BusinessAlertRules.Rule;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.AlertGate;
import io.marty.observability.core.alert.AlertSink;
import io.marty.observability.core.failure.InstrumentationErrors;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates {@link BusinessAlertRules} against a {@link BusinessMetrics}' series on its clock and
 * sends the resulting {@link Alert}s (type {@code business_<rule type>}) to core's alert sinks, through
 * one {@link AlertGate} (cooldown per rule, inhibition between rules). Anomaly rules run an {@link
 * AnomalyDetector} fed with the series' buckets (back-filled from the series' retention on the first
 * evaluation, so a restart does not start the warm-up from nothing).
 *
 * <pre>{@code
 * BusinessAlertRules rules = BusinessAlertRules.parse(Files.readString(path), path.toString());
 * try (BusinessAlerting alerting = BusinessAlerting.builder(rules, business).sinksFromRules().build()) {
 *     alerting.start(Duration.ofSeconds(30));   // or call evaluate() yourself (tests, ManualClock)
 * }
 * }</pre>
 */
public final class BusinessAlerting implements AutoCloseable {
    private static final int MAX_RECENT = 200;

    private final BusinessAlertRules rules;
    private final BusinessMetrics metrics;
    private final List<Rule> ordered;
    private final AlertGate gate;
    private final List<AlertSink> sinks;
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, AnomalyDetector> detectors = new HashMap<>();
    private final Map<String, Long> nextBucket = new HashMap<>();
    private final Map<String, AnomalyDetector.Result> lastAnomaly = new HashMap<>();
    private final Deque<Alert> recent = new ArrayDeque<>();
    private final long startedMillis;
    private @Nullable ScheduledExecutorService scheduler;

    private BusinessAlerting(Builder b) {
        this.rules = b.rules;
        this.metrics = b.metrics;
        this.sinks = List.copyOf(b.sinks);
        this.listeners.addAll(b.listeners);
        AlertGate.Builder g = AlertGate.builder();
        List<Rule> inhibitors = new ArrayList<>();
        List<Rule> others = new ArrayList<>();
        for (Rule r : rules.rules()) {
            for (String target : r.inhibits()) {
                g.inhibit(r.name(), target);
            }
            (r.inhibits().isEmpty() ? others : inhibitors).add(r);
            if (r.type() == BusinessAlertRules.Type.ANOMALY) {
                detectors.put(r.name(), r.anomaly().newDetector());
            }
        }
        this.gate = g.build();
        inhibitors.addAll(others); // inhibiting rules first, so their state is fresh for the rules they silence
        this.ordered = List.copyOf(inhibitors);
        this.startedMillis = metrics.clock().millis();
    }

    public static Builder builder(BusinessAlertRules rules, BusinessMetrics metrics) {
        return new Builder(rules, metrics);
    }

    /** Evaluates every rule now; returns the alerts sent. Never throws. */
    public synchronized List<Alert> evaluate() {
        long now = metrics.clock().millis();
        metrics.refresh();
        List<Alert> fired = new ArrayList<>();
        for (Rule r : ordered) {
            try {
                Alert a = check(r, now);
                if (a != null && gate.admit(r.name(), "all", now, r.cooldown())) {
                    fired.add(a);
                    deliver(a);
                }
            } catch (RuntimeException e) {
                InstrumentationErrors.current()
                        .record(InstrumentationErrors.BUSINESS, "business rule " + r.name() + " failed", e);
            }
        }
        return fired;
    }

    private @Nullable Alert check(Rule r, long now) {
        String window = format(r.window());
        switch (r.type()) {
            case THRESHOLD: {
                double v = value(r.series(), r.window(), Duration.ZERO);
                if (r.op() != null && r.op().test(v, r.value())) {
                    return alert(
                            r,
                            now,
                            v,
                            r.value(),
                            r.series() + " " + fmt(v) + " " + r.op().symbol() + " " + fmt(r.value()),
                            String.format(
                                    Locale.ROOT,
                                    "%s over %s is %s, %s threshold %s",
                                    describe(r.series()),
                                    window,
                                    fmt(v),
                                    r.op().symbol(),
                                    fmt(r.value())));
                }
                return null;
            }
            case RATE_OF_CHANGE: {
                double now1 = value(r.series(), r.window(), Duration.ZERO);
                double then = value(r.series(), r.window(), r.offset());
                if (!(then > 0) || Double.isNaN(now1)) {
                    return null;
                }
                double change = now1 / then - 1;
                boolean drop = !Double.isNaN(r.maxDrop()) && change <= -r.maxDrop();
                boolean rise = !Double.isNaN(r.maxRise()) && change >= r.maxRise();
                if (drop || rise) {
                    double limit = drop ? -r.maxDrop() : r.maxRise();
                    return alert(
                            r,
                            now,
                            change,
                            limit,
                            describe(r.series()) + (drop ? " dropped " : " rose ") + Math.round(Math.abs(change) * 100)
                                    + "% against " + format(r.offset()) + " ago",
                            String.format(
                                    Locale.ROOT,
                                    "%s over the last %s is %s against %s over the same %s %s earlier"
                                            + " (%+.0f%%, limit %+.0f%%)",
                                    describe(r.series()),
                                    window,
                                    fmt(now1),
                                    fmt(then),
                                    window,
                                    format(r.offset()),
                                    change * 100,
                                    limit * 100));
                }
                return null;
            }
            case ABSENCE: {
                if (now - startedMillis < r.window().toMillis()) {
                    return null; // not running long enough to call it absence
                }
                double count = metrics.aggregate(seriesName(r.series()), Aggregation.COUNT, r.window(), Duration.ZERO);
                if (r.series().startsWith("conversion.")) {
                    count = Double.isNaN(value(r.series(), r.window(), Duration.ZERO)) ? 0 : 1;
                }
                if (count == 0) {
                    return alert(
                            r,
                            now,
                            0,
                            0,
                            "no " + describe(r.series()) + " for " + window,
                            "no " + describe(r.series()) + " recorded in the last " + window);
                }
                return null;
            }
            default:
                return anomaly(r, now);
        }
    }

    private @Nullable Alert anomaly(Rule r, long now) {
        AnomalyDetector d = detectors.get(r.name());
        long bucket = d.bucket().toMillis();
        long current = Math.floorDiv(now, bucket) * bucket;
        String name = seriesName(r.series());
        WindowedSeries s = metrics.series(name);
        Long next = nextBucket.get(r.name());
        if (next == null) {
            long from =
                    s == null ? current : Math.max(current - s.retention().toMillis() + bucket, startOfData(current));
            next = Math.floorDiv(from, bucket) * bucket;
        }
        AnomalyDetector.Result last = null;
        for (long b = next; b < current; b += bucket) {
            double v = s == null ? 0 : s.aggregateAt(Aggregation.SUM, d.bucket(), b + bucket - 1);
            if (r.series().startsWith("conversion.")) {
                v = value(r.series(), d.bucket(), Duration.ofMillis(now - (b + bucket - 1)));
            }
            d.add(b, v);
            for (AnomalyDetector.Result res : d.evaluate(b + bucket)) {
                last = res;
                if (res.anomalous()) {
                    lastAnomaly.put(r.name(), res);
                }
            }
        }
        nextBucket.put(r.name(), current);
        if (last != null && last.anomalous()) {
            return alert(
                    r,
                    now,
                    last.value(),
                    last.expected(),
                    describe(r.series()) + " anomaly: " + fmt(last.value()) + " against an expected "
                            + fmt(last.expected()),
                    describe(r.series()) + " " + last.explanation());
        }
        return null;
    }

    private long startOfData(long current) {
        return Math.min(
                current,
                startedMillis
                        - metrics.clock().millis()
                        + current
                        - Duration.ofDays(60).toMillis());
    }

    private double value(String series, Duration window, Duration offset) {
        if (series.startsWith("conversion.")) {
            return metrics.aggregate(series, Aggregation.COUNT, window, offset);
        }
        return metrics.aggregate(seriesName(series), Aggregation.RATE, window, offset);
    }

    private String seriesName(String series) {
        return series.equals("revenue") ? metrics.revenueSeries(rules.currency()) : series;
    }

    private String describe(String series) {
        if (series.equals("revenue")) {
            return "revenue (" + rules.currency() + " minor units per second)";
        }
        if (series.startsWith("conversion.")) {
            return "conversion of funnel '" + series.substring(11) + "'";
        }
        return series.replace('_', ' ') + " per second";
    }

    private Alert alert(Rule r, long now, double value, double threshold, String summary, String explanation) {
        Map<String, String> sample = new HashMap<>();
        sample.put("series", r.series());
        return new Alert(
                r.name(),
                "business_" + r.type().label(),
                r.severity(),
                rules.service(),
                Map.of(),
                value,
                threshold,
                r.type() == BusinessAlertRules.Type.ANOMALY ? r.anomaly().bucket() : r.window(),
                now,
                r.cooldown(),
                summary,
                explanation,
                sample);
    }

    private void deliver(Alert a) {
        synchronized (recent) {
            recent.addLast(a);
            if (recent.size() > MAX_RECENT) {
                recent.removeFirst();
            }
        }
        for (AlertSink s : sinks) {
            try {
                s.send(a);
            } catch (RuntimeException e) {
                InstrumentationErrors.current().record(InstrumentationErrors.BUSINESS, "alert sink " + s.name(), e);
            }
        }
        for (Consumer<Alert> l : listeners) {
            try {
                l.accept(a);
            } catch (RuntimeException e) {
                InstrumentationErrors.current().record(InstrumentationErrors.BUSINESS, "alert listener", e);
            }
        }
    }

    /** Alerts sent so far, newest last (at most 200). */
    public List<Alert> recentAlerts() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** The last anomalous bucket of each anomaly rule (rule name → verdict). */
    public synchronized Map<String, AnomalyDetector.Result> lastAnomalies() {
        return Collections.unmodifiableMap(new HashMap<>(lastAnomaly));
    }

    /** The rules being evaluated. */
    public BusinessAlertRules rules() {
        return rules;
    }

    /** Detections suppressed by cooldown and by inhibition. */
    public long suppressed() {
        return gate.suppressed() + gate.inhibited();
    }

    /** Evaluates every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (scheduler != null) {
            return;
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mmf-business-alerting");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(10, interval.toMillis());
        s.scheduleWithFixedDelay(this::evaluate, ms, ms, TimeUnit.MILLISECONDS);
        this.scheduler = s;
    }

    /** Stops the schedule (if started) and closes the sinks. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdownNow();
        }
        for (AlertSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // closing is best effort
            }
        }
    }

    private static String format(Duration d) {
        return io.marty.observability.spec.Durations.format(d);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Builder for {@link BusinessAlerting}. */
    public static final class Builder {
        private final BusinessAlertRules rules;
        private final BusinessMetrics metrics;
        private final List<AlertSink> sinks = new ArrayList<>();
        private final List<Consumer<Alert>> listeners = new ArrayList<>();

        private Builder(BusinessAlertRules rules, BusinessMetrics metrics) {
            this.rules = Objects.requireNonNull(rules, "rules");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /** Adds a sink (closed by {@link BusinessAlerting#close()}). */
        public Builder addSink(AlertSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Adds the sinks of the rules file's {@code notifiers}. */
        public Builder sinksFromRules() {
            for (BusinessAlertRules.Notifier n : rules.notifiers()) {
                sinks.add(n.newSink());
            }
            return this;
        }

        /** Called with every alert sent (e.g. the console). */
        public Builder addListener(Consumer<Alert> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public BusinessAlerting build() {
            return new BusinessAlerting(this);
        }
    }
}
