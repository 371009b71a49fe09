package io.marty.observability.console;

import java.util.List;

/**
 * Extension points that light up the console's SLO and alert panels and let analysers consume the
 * telemetry the console receives.
 *
 * <pre>{@code
 * ConsoleServer console = ConsoleServer.builder()
 *     .sloSource(() -> myTracker.rows())          // SLO panel: List<ConsoleSloStatus>
 *     .alertSource(() -> myDetector.recentAlerts()) // alert panel: List<ConsoleAlert>
 *     .listener(new ConsolePanels.TelemetryListener() {
 *         public void onSpans(List<ConsoleSpan> spans) { myTracker.record(spans); }
 *     })
 *     .build().start();
 * }</pre>
 *
 * <p>Without a source the panel shows a "not enabled" state. The console depends on no analysis
 * engine itself: {@code marty console} plugs the {@code slo} tracker and the {@code loganalysis}
 * analyser in through these interfaces.
 */
public final class ConsolePanels {
    private ConsolePanels() {}

    /** Supplies the SLO panel. Called on every panel refresh; must be cheap and thread-safe. */
    @FunctionalInterface
    public interface SloSource {
        List<ConsoleSloStatus> sloStatuses();
    }

    /** Supplies the alert panel. Called on every panel refresh; must be cheap and thread-safe. */
    @FunctionalInterface
    public interface AlertSource {
        List<ConsoleAlert> alerts();
    }

    /**
     * Receives every accepted batch after it has been stored, on the receiving HTTP thread.
     * Exceptions are caught and counted, never returned to the exporter.
     */
    public interface TelemetryListener {
        default void onSpans(List<ConsoleSpan> spans) {}

        default void onLogs(List<ConsoleLog> logs) {}

        default void onMetrics(List<ConsoleMetricPoint> points) {}
    }
}
