package io.marty.observability.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.AppenderAttachable;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.logging.internal.DropCounter;
import io.marty.observability.logging.internal.ServiceIdentity;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import org.slf4j.LoggerFactory;

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

    /** Resource of the rolling JSON file appenders, for {@code <include resource="…"/>}. */
    public static final String LOGBACK_FILE_INCLUDE = "io/marty/observability/logging/logback-marty-file.xml";

    private MartyLogging() {}

    /**
     * Connects logging to a started {@link MartyObservability}: OTLP appenders get its
     * OpenTelemetry, drop counters go to its {@code MartyMetrics} (with the {@code service} label),
     * and JSON encoders without explicit service properties take name, version and environment from
     * its config. Call it right after {@code MartyObservability.start(config)}.
     */
    public static void install(MartyObservability observability) {
        Objects.requireNonNull(observability, "observability");
        ServiceIdentity.invalidate();
        installOpenTelemetry(observability.openTelemetry());
    }

    /**
     * Hands {@code openTelemetry} to every {@code OpenTelemetryAppender} configured in Logback
     * (including the {@code OTEL} appender of {@link #LOGBACK_INCLUDE}). Events logged before this
     * call are buffered by the appender up to its {@code numLogsCapturedBeforeOtelInstall} setting.
     */
    public static void installOpenTelemetry(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        OpenTelemetryAppender.install(openTelemetry);
        // install() only sees appenders attached to loggers; also reach those nested in
        // MaskingAppender / BoundedAsyncAppender
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            Set<Appender<ILoggingEvent>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Logger logger : ctx.getLoggerList()) {
                logger.iteratorForAppenders().forEachRemaining(a -> wire(a, openTelemetry, seen));
            }
        }
    }

    private static void wire(Appender<ILoggingEvent> a, OpenTelemetry otel, Set<Appender<ILoggingEvent>> seen) {
        if (!seen.add(a)) {
            return;
        }
        if (a instanceof OpenTelemetryAppender) {
            ((OpenTelemetryAppender) a).setOpenTelemetry(otel);
        }
        if (a instanceof AppenderAttachable) {
            @SuppressWarnings("unchecked")
            AppenderAttachable<ILoggingEvent> parent = (AppenderAttachable<ILoggingEvent>) a;
            parent.iteratorForAppenders().forEachRemaining(child -> wire(child, otel, seen));
        }
    }

    /**
     * Counts {@code mmf_log_events_dropped_total{reason}} in {@code registry} from now on. Without
     * it: the running {@link MartyObservability}'s metrics, else {@link
     * PrometheusRegistry#defaultRegistry}. Pass {@code null} to return to that default.
     */
    public static void bindMetrics(PrometheusRegistry registry) {
        DropCounter.bind(registry);
    }
}
