package io.marty.observability.logging;

import io.marty.observability.logging.internal.DropCounter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;

/**
 * Wiring for the logging module: where drop counters go and which OpenTelemetry instance receives
 * log records over OTLP.
 *
 * <pre>{@code
 * // after the SDK is built (core's MartyObservability.start does this for you)
 * MartyLogging.installOpenTelemetry(openTelemetry);   // OTLP appenders in logback.xml start exporting
 * MartyLogging.bindMetrics(registry);                 // mmf_log_events_dropped_total goes there
 * }</pre>
 */
public final class MartyLogging {
    /** Resource of the ready-made Logback snippet, for {@code <include resource="…"/>}. */
    public static final String LOGBACK_INCLUDE = "io/marty/observability/logging/logback-marty.xml";

    private MartyLogging() {}

    /**
     * Hands {@code openTelemetry} to every {@code OpenTelemetryAppender} configured in Logback
     * (including the {@code OTEL} appender of {@link #LOGBACK_INCLUDE}). Events logged before this
     * call are buffered by the appender up to its {@code numLogsCapturedBeforeOtelInstall} setting.
     */
    public static void installOpenTelemetry(OpenTelemetry openTelemetry) {
        OpenTelemetryAppender.install(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * Registers {@code mmf_log_events_dropped_total{reason}} in {@code registry} from now on
     * (default: {@link PrometheusRegistry#defaultRegistry}).
     */
    public static void bindMetrics(PrometheusRegistry registry) {
        DropCounter.bind(Objects.requireNonNull(registry, "registry"));
    }
}
