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
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
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
     * its config. Its exporters get a {@link PiiMasker} for exception messages and stack traces (of
     * log records and of span events from {@code recordException}), span status descriptions and
     * log bodies: the masker of the {@link MaskingAppender} in front of the OpenTelemetry appender
     * (so {@code MARTY_OTEL}'s strategy, salt and keys apply), else {@link PiiMasker#defaults()}.
     * Call it right after {@code MartyObservability.start(config)}.
     */
    public static void install(MartyObservability observability) {
        Objects.requireNonNull(observability, "observability");
        ServiceIdentity.invalidate();
        PiiMasker masker = wireAll(observability.openTelemetry());
        PiiMasker exportMasker = masker != null ? masker : PiiMasker.defaults();
        observability.setTelemetryMasker(exportMasker::maskText);
    }

    /**
     * Hands {@code openTelemetry} to every {@code OpenTelemetryAppender} configured in Logback
     * (including the {@code OTEL} appender of {@link #LOGBACK_INCLUDE}). Events logged before this
     * call are buffered by the appender up to its {@code numLogsCapturedBeforeOtelInstall} setting.
     */
    public static void installOpenTelemetry(OpenTelemetry openTelemetry) {
        wireAll(openTelemetry);
    }

    /** Wires every OpenTelemetry appender; returns the masker in front of one, or null. */
    private static PiiMasker wireAll(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        OpenTelemetryAppender.install(openTelemetry);
        // install() only sees appenders attached to loggers; also reach those nested in
        // MaskingAppender / BoundedAsyncAppender
        Wiring wiring = new Wiring(openTelemetry);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            for (Logger logger : ctx.getLoggerList()) {
                logger.iteratorForAppenders().forEachRemaining(wiring::wire);
            }
        }
        return wiring.otlpMasker;
    }

    /** One walk over the appender tree (appenders may be shared: each is visited once). */
    private static final class Wiring {
        private final OpenTelemetry otel;
        private final Map<Appender<ILoggingEvent>, Boolean> holdsOtel = new IdentityHashMap<>();
        PiiMasker otlpMasker;

        Wiring(OpenTelemetry otel) {
            this.otel = otel;
        }

        /** Wires {@code a} and its children; whether an OpenTelemetry appender is among them. */
        boolean wire(Appender<ILoggingEvent> a) {
            Boolean known = holdsOtel.putIfAbsent(a, Boolean.FALSE);
            if (known != null) {
                return known;
            }
            boolean otlp = false;
            if (a instanceof OpenTelemetryAppender) {
                ((OpenTelemetryAppender) a).setOpenTelemetry(otel);
                otlp = true;
            }
            if (a instanceof AppenderAttachable) {
                @SuppressWarnings("unchecked")
                AppenderAttachable<ILoggingEvent> parent = (AppenderAttachable<ILoggingEvent>) a;
                for (Iterator<Appender<ILoggingEvent>> it = parent.iteratorForAppenders(); it.hasNext(); ) {
                    otlp |= wire(it.next());
                }
            }
            if (otlp && otlpMasker == null && a instanceof MaskingAppender) {
                otlpMasker = ((MaskingAppender) a).masker();
            }
            holdsOtel.put(a, otlp);
            return otlp;
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
