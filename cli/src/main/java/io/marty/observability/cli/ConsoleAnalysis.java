package io.marty.observability.cli;

import io.marty.observability.console.ConsoleAlert;
import io.marty.observability.console.ConsoleLog;
import io.marty.observability.console.ConsolePanels;
import io.marty.observability.console.ConsoleServer;
import io.marty.observability.console.ConsoleSloStatus;
import io.marty.observability.console.ConsoleSpan;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.loganalysis.OtlpLogRecord;
import io.marty.observability.slo.PrometheusDurations;
import io.marty.observability.slo.SloTracker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Plugs the {@code slo} tracker and the {@code loganalysis} analyser into the console through its
 * panel SPI: received server spans become RED events for the tracker, received log records go to the
 * analyser, and their state fills the SLO and alert panels. Either part may be absent.
 *
 * <pre>{@code
 * try (ConsoleAnalysis analysis = new ConsoleAnalysis(tracker, analyzer);
 *      ConsoleServer console = analysis.wire(ConsoleServer.builder().port(4318)).build().start()) { ... }
 * }</pre>
 *
 * <p>The caller owns the tracker and the analyser; {@link #close()} only stops the analyser's
 * one-second tick.
 */
final class ConsoleAnalysis
        implements ConsolePanels.TelemetryListener, ConsolePanels.SloSource, ConsolePanels.AlertSource, AutoCloseable {
    private static final int MAX_LOG_ALERTS = 500;

    private final SloTracker tracker;
    private final LogAnalyzer analyzer;
    private final ArrayDeque<ConsoleAlert> logAlerts = new ArrayDeque<>();
    private final ScheduledExecutorService ticker;

    ConsoleAnalysis(@Nullable SloTracker tracker, @Nullable LogAnalyzer analyzer) {
        this.tracker = tracker;
        this.analyzer = analyzer;
        if (analyzer != null) {
            // windowed detectors also need to notice silence (e.g. a revenue drop): tick once a second
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "marty-console-log-analysis");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /**
     * Registers this as the console's listener and, for the parts present, as its SLO and alert
     * source; returns the builder.
     */
    ConsoleServer.Builder wire(ConsoleServer.Builder console) {
        if (tracker == null && analyzer == null) {
            return console;
        }
        console.listener(this).alertSource(this);
        return tracker == null ? console : console.sloSource(this);
    }

    private void tick() {
        try {
            addAlerts(analyzer.tick());
        } catch (RuntimeException e) {
            // an exception would cancel the schedule; the next tick sees the same state again
        }
    }

    @Override
    public void onSpans(List<ConsoleSpan> spans) {
        if (tracker == null) {
            return;
        }
        for (ConsoleSpan s : spans) {
            if (!"SERVER".equals(s.kind())) {
                continue;
            }
            Map<String, String> a = s.attributes();
            boolean grpc = "grpc".equals(a.get("rpc.system"));
            String method = grpc
                    ? a.getOrDefault("rpc.method", "")
                    : a.getOrDefault("http.request.method", a.getOrDefault("http.method", ""));
            tracker.record(
                    s.service(),
                    grpc ? "grpc" : "http",
                    "server",
                    method,
                    s.route(),
                    outcome(s, grpc),
                    s.durationNanos() / 1e9);
        }
    }

    /** RED outcome from the span, using the same classes as the {@code core} RED metrics. */
    static String outcome(ConsoleSpan s, boolean grpc) {
        Map<String, String> a = s.attributes();
        if (grpc) {
            String code = a.getOrDefault("rpc.grpc.status_code", "");
            return switch (code) {
                case "", "0" -> s.isError() ? "server_error" : "success";
                // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS
                case "2", "4", "12", "13", "14", "15" -> "server_error";
                default -> "client_error";
            };
        }
        String status = a.getOrDefault("http.response.status_code", a.getOrDefault("http.status_code", ""));
        if (status.startsWith("5")) {
            return "server_error";
        }
        if (status.startsWith("4")) {
            return "client_error";
        }
        return status.isEmpty() && s.isError() ? "server_error" : "success";
    }

    @Override
    public void onLogs(List<ConsoleLog> logs) {
        if (analyzer == null) {
            return;
        }
        List<OtlpLogRecord> records = new ArrayList<>(logs.size());
        for (ConsoleLog l : logs) {
            Map<String, Object> attrs = new LinkedHashMap<>(l.attributes());
            if (!l.category().isEmpty()) {
                attrs.putIfAbsent("category", l.category());
            }
            records.add(new OtlpLogRecord(
                    l.epochNanos(),
                    0,
                    severityNumber(l.severity()),
                    l.severity(),
                    l.body(),
                    attrs,
                    Map.of("service.name", l.service()),
                    l.traceId(),
                    l.spanId()));
        }
        // an exception here is caught and counted by the console (listenerErrors in /api/stats)
        addAlerts(analyzer.acceptOtlp(records));
    }

    private static int severityNumber(String level) {
        return switch (level) {
            case "TRACE" -> 1;
            case "DEBUG" -> 5;
            case "WARN" -> 13;
            case "ERROR" -> 17;
            case "FATAL" -> 21;
            default -> 9;
        };
    }

    private void addAlerts(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        synchronized (logAlerts) {
            for (Alert a : alerts) {
                if (logAlerts.size() == MAX_LOG_ALERTS) {
                    logAlerts.pollFirst();
                }
                String message = a.summary() + (a.explanation().isEmpty() ? "" : " - " + a.explanation());
                logAlerts.addLast(new ConsoleAlert(
                        "log: " + a.rule(),
                        a.severity().label(),
                        a.service() == null ? "" : a.service(),
                        message,
                        a.firedAtMillis(),
                        a.sample().getOrDefault("trace_id", ""),
                        a.sample().getOrDefault("correlation_id", "")));
            }
        }
    }

    @Override
    public List<ConsoleSloStatus> sloStatuses() {
        if (tracker == null) {
            return List.of();
        }
        List<ConsoleSloStatus> out = new ArrayList<>();
        for (io.marty.observability.slo.SloStatus s : tracker.statuses()) {
            Map<String, Double> burn = new LinkedHashMap<>();
            s.burnRates().forEach((w, r) -> burn.put(PrometheusDurations.format(w), Double.isNaN(r) ? 0.0 : r));
            long window = s.slo().window().length().toSeconds();
            long observed = observedSeconds(s);
            String state;
            String reason = "";
            if (s.totalEvents() == 0) {
                state = "NO_DATA";
                reason = "no requests for this SLO yet";
            } else if (observed < shortestWindow(s).toSeconds()) {
                state = "INSUFFICIENT_DATA";
                reason = String.format(
                        java.util.Locale.ROOT,
                        "%d s of data: the shortest burn-rate window (%s) is not covered yet",
                        observed,
                        PrometheusDurations.format(shortestWindow(s)));
            } else {
                // "exhausted" compares the ratio seen so far with the budget of the whole window: only
                // meaningful once the window is covered; before that the burn-rate tiers decide
                boolean exhausted = "exhausted".equals(s.state()) && observed >= window;
                state = exhausted || firing(s, "page", observed)
                        ? "CRITICAL"
                        : firing(s, "ticket", observed) ? "WARNING" : "OK";
            }
            out.add(new ConsoleSloStatus(
                    s.slo().name(),
                    s.slo().service(),
                    s.slo().objective(),
                    Double.isNaN(s.compliance()) ? -1 : s.compliance(),
                    s.budgetRemaining(),
                    burn,
                    state,
                    window,
                    observed,
                    reason));
        }
        return out;
    }

    /** Seconds of data the tracker holds for the SLO, at most its window. */
    private long observedSeconds(io.marty.observability.slo.SloStatus s) {
        java.time.Instant since = tracker.observedSince(s.slo().id());
        if (since == null) {
            return 0;
        }
        long seconds = java.time.Duration.between(since, s.at()).toSeconds();
        return Math.max(0, Math.min(seconds, s.slo().window().length().toSeconds()));
    }

    /** The shortest burn-rate window of the SLO's alert tiers (5 minutes when it has none). */
    private static java.time.Duration shortestWindow(io.marty.observability.slo.SloStatus s) {
        java.time.Duration shortest = null;
        for (io.marty.observability.slo.SloStatus.TierState t : s.tiers()) {
            java.time.Duration w = t.tier().shortWindow();
            shortest = shortest == null || w.compareTo(shortest) < 0 ? w : shortest;
        }
        return shortest == null ? java.time.Duration.ofMinutes(5) : shortest;
    }

    /** A tier of this severity fires and the console has seen its whole short window. */
    private static boolean firing(io.marty.observability.slo.SloStatus s, String severity, long observedSeconds) {
        for (io.marty.observability.slo.SloStatus.TierState t : s.tiers()) {
            if (t.firing()
                    && t.tier().severity().equals(severity)
                    && observedSeconds >= t.tier().shortWindow().toSeconds()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ConsoleAlert> alerts() {
        List<ConsoleAlert> out = new ArrayList<>();
        if (tracker != null) {
            for (io.marty.observability.slo.SloStatus s : tracker.statuses()) {
                // one alert per SLO: its most severe firing tier (page before ticket, then the fastest)
                io.marty.observability.slo.SloStatus.TierState worst = null;
                long observed = observedSeconds(s);
                for (io.marty.observability.slo.SloStatus.TierState t : s.tiers()) {
                    // a tier whose short window the console has not seen whole would fire on minutes of data
                    if (t.firing()
                            && observed >= t.tier().shortWindow().toSeconds()
                            && (worst == null || isWorse(t, worst))) {
                        worst = t;
                    }
                }
                if (worst != null) {
                    out.add(sloAlert(s, worst));
                }
            }
        }
        synchronized (logAlerts) {
            List<ConsoleAlert> logs = new ArrayList<>(logAlerts);
            java.util.Collections.reverse(logs);
            out.addAll(logs);
        }
        return out;
    }

    private static boolean isWorse(
            io.marty.observability.slo.SloStatus.TierState a, io.marty.observability.slo.SloStatus.TierState b) {
        boolean aPage = "page".equals(a.tier().severity());
        boolean bPage = "page".equals(b.tier().severity());
        return aPage != bPage ? aPage : a.tier().factor() > b.tier().factor();
    }

    private static ConsoleAlert sloAlert(
            io.marty.observability.slo.SloStatus s, io.marty.observability.slo.SloStatus.TierState t) {
        String budget = s.budgetRemaining() <= 0
                ? String.format(
                        java.util.Locale.ROOT, "error budget exhausted (%.0f%% spent)", (1 - s.budgetRemaining()) * 100)
                : String.format(java.util.Locale.ROOT, "%.0f%% of the error budget left", s.budgetRemaining() * 100);
        String message = String.format(
                java.util.Locale.ROOT,
                "burning the error budget at %.1fx (tier %s): error ratio %.2f%% over %s and %.2f%% over %s"
                        + " (threshold %.2f%%); %s",
                t.longRatio() / s.slo().errorBudget(),
                t.tier().describe(),
                t.longRatio() * 100,
                PrometheusDurations.format(t.tier().longWindow()),
                t.shortRatio() * 100,
                PrometheusDurations.format(t.tier().shortWindow()),
                t.threshold() * 100,
                budget);
        return new ConsoleAlert(
                "slo: " + s.slo().id(),
                "page".equals(t.tier().severity()) ? "critical" : "warning",
                s.slo().service(),
                message,
                s.at().toEpochMilli(),
                "",
                "");
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
