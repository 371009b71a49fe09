package io.marty.observability.core.failure;

import io.marty.observability.core.MartyObservability;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The one fail-open policy: when instrumentation code fails (a throwing {@code RequestListener}, a
 * header the carrier rejects, a broken wrapper around a request), the integration catches the
 * failure, calls {@link #record} and lets the request go on as if it were not instrumented. Every
 * failure is counted in {@code mmf_instrumentation_errors_total{service,component}} (registered by
 * {@code MartyMetrics}); the log (JUL logger {@value #LOGGER_NAME}, level WARNING, with the stack
 * trace) is throttled to {@value #LOGS_PER_MINUTE} records per minute per component, then one note
 * that the rest of the minute is suppressed. {@code record} never throws.
 *
 * <pre>{@code
 * InstrumentationErrors errors = observability.metrics().instrumentationErrors();
 * try {
 *     listener.onRequest(request);
 * } catch (RuntimeException e) {
 *     errors.record(InstrumentationErrors.REQUEST_LISTENER, "request listener " + listener + " threw", e);
 * }
 * }</pre>
 *
 * <p>Component names are label values: use the constants here, or a short lower-case name of a new
 * integration; beyond {@value #MAX_COMPONENTS} distinct names failures count as {@code other}.
 */
public final class InstrumentationErrors {
    /** The JUL logger failures are logged to. */
    public static final String LOGGER_NAME = "io.marty.observability.instrumentation";
    /** Log records per minute and component before the rest of the minute is suppressed. */
    public static final int LOGS_PER_MINUTE = 5;
    /** Distinct component label values; further names are counted as {@code other}. */
    public static final int MAX_COMPONENTS = 32;

    /** HTTP server filters (servlet filter, JDK {@code HttpServer} filter). */
    public static final String HTTP_SERVER = "http_server";
    /** HTTP client integrations (JDK {@code HttpClient} wrapper, OkHttp interceptor). */
    public static final String HTTP_CLIENT = "http_client";
    /** gRPC server interceptor. */
    public static final String GRPC_SERVER = "grpc_server";
    /** gRPC client interceptor. */
    public static final String GRPC_CLIENT = "grpc_client";
    /** Recording of the RED metrics. */
    public static final String RED_METRICS = "red_metrics";
    /** A {@code RequestListener} that threw. */
    public static final String REQUEST_LISTENER = "request_listener";
    /** The logging integration (JSON encoder, drop counter). */
    public static final String LOGGING = "logging";
    /** Context propagation helpers (the MDC view of the context). */
    public static final String CONTEXT = "context";
    /** A {@code TelemetryMasker} that threw while masking exported telemetry (the text is then withheld). */
    public static final String MASKING = "masking";
    /** The Spring Boot integration (WebFlux filter, client interceptors, task decorator, health bridge). */
    public static final String SPRING = "spring";
    /** The business module (business metrics, health score, alert rule evaluation). */
    public static final String BUSINESS = "business";
    /** The jdbc module (SQL sanitiser, statement spans, connection metadata). */
    public static final String JDBC = "jdbc";
    /** The redis module (Lettuce command spans). */
    public static final String REDIS = "redis";
    /** The kafka module's producer side (PRODUCER spans, record headers written). */
    public static final String KAFKA_PRODUCER = "kafka_producer";
    /** The kafka module's consumer side (record headers read, CONSUMER spans, poison records). */
    public static final String KAFKA_CONSUMER = "kafka_consumer";

    private static final List<String> KNOWN = List.of(
            HTTP_SERVER,
            HTTP_CLIENT,
            GRPC_SERVER,
            GRPC_CLIENT,
            RED_METRICS,
            REQUEST_LISTENER,
            LOGGING,
            CONTEXT,
            MASKING,
            SPRING,
            BUSINESS,
            JDBC,
            REDIS,
            KAFKA_PRODUCER,
            KAFKA_CONSUMER);
    private static final String OTHER = "other";
    private static final Logger LOGGER = Logger.getLogger(LOGGER_NAME);
    private static final InstrumentationErrors UNBOUND = new InstrumentationErrors();
    // a failure while logging a failure (JUL bridged to a broken appender) is only counted
    private static final ThreadLocal<Boolean> LOGGING_NOW = new ThreadLocal<>();

    private final ConcurrentHashMap<String, Component> components = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final int logsPerMinute;

    /** Counts in memory; {@code MartyMetrics} exposes its instance as the Prometheus counter. */
    public InstrumentationErrors() {
        this(System::nanoTime, LOGS_PER_MINUTE);
    }

    InstrumentationErrors(LongSupplier nanoClock, int logsPerMinute) {
        this.nanoClock = nanoClock;
        this.logsPerMinute = logsPerMinute;
        for (String name : KNOWN) {
            components.put(name, new Component(name));
        }
    }

    /**
     * The instance of the running {@link MartyObservability}, or a process-wide one that only logs
     * and counts in memory: for code that has no instance at hand (logging appenders, context
     * storage).
     */
    public static InstrumentationErrors current() {
        try {
            return MartyObservability.current()
                    .map(o -> o.metrics().instrumentationErrors())
                    .orElse(UNBOUND);
        } catch (RuntimeException e) {
            return UNBOUND;
        }
    }

    /**
     * Counts one failure of {@code component} and logs it (throttled). Never throws.
     *
     * @param component label value, e.g. {@link #HTTP_SERVER}
     * @param what what failed, for the log (no request data: it may hold personal data)
     * @param error the failure
     */
    public void record(@Nullable String component, String what, Throwable error) {
        try {
            Component c = component(component);
            c.count.increment();
            if (LOGGING_NOW.get() != null) {
                return;
            }
            LOGGING_NOW.set(Boolean.TRUE);
            try {
                c.log.log(Level.WARNING, c.name + ": " + what + "; the request goes on uninstrumented", error);
            } finally {
                LOGGING_NOW.remove();
            }
        } catch (RuntimeException | StackOverflowError ignored) {
            // fail open applies to the policy itself
        }
    }

    /** Failures counted for {@code component} so far. */
    public long count(String component) {
        Component c = components.get(component);
        return c == null ? 0 : c.count.sum();
    }

    /** Calls {@code action} with every component and its count (known components even at 0). */
    public void forEach(ObjLongConsumer<String> action) {
        for (Map.Entry<String, Component> e : components.entrySet()) {
            action.accept(e.getKey(), e.getValue().count.sum());
        }
    }

    /**
     * {@code setter} that skips a header the carrier rejects (counted for {@code component}) instead
     * of failing the call, so the other propagation headers still go out. A correlation value set by
     * the application with characters the HTTP client refuses is the typical case.
     */
    public <C> TextMapSetter<C> failOpen(String component, TextMapSetter<C> setter) {
        return (carrier, key, value) -> {
            try {
                setter.set(carrier, key, value);
            } catch (RuntimeException e) {
                record(component, "cannot set propagation header " + key, e);
            }
        };
    }

    private Component component(String name) {
        String key = name == null ? OTHER : name;
        Component c = components.get(key);
        if (c != null) {
            return c;
        }
        if (components.size() >= MAX_COMPONENTS) {
            key = OTHER;
        }
        return components.computeIfAbsent(key, Component::new);
    }

    private final class Component {
        final String name;
        final LongAdder count = new LongAdder();
        final ThrottlingLogger log;

        Component(String name) {
            this.name = name;
            this.log = new ThrottlingLogger(LOGGER, name, logsPerMinute, nanoClock);
        }
    }
}
