package io.marty.observability.logging;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * SLF4J logger with the MMF log categories and helpers for business, security, audit and performance events. Every call is a plain
 * SLF4J 2 event: the category is a {@link LogCategory#marker() marker}, the fields are key-value
 * pairs. Any appender works; {@link MartyJsonEncoder} writes them as {@code category} and {@code
 * fields}.
 *
 * <pre>{@code
 * private static final StructuredLogger log = StructuredLogger.getLogger(OrderService.class);
 *
 * log.info(LogCategory.BUSINESS, "order placed", Map.of("order_id", id));
 * log.business("order_completed", Map.of("amount", 99.99, "currency", "USD"));
 * log.security("login_failed", Severity.HIGH, Map.of("source_ip", ip));
 * log.audit("admin123", "data_read", "user_profile", Outcome.SUCCESS);
 * log.performance("db.query", Duration.ofMillis(42), Map.of("table", "orders"));
 * log.lifecycle(Lifecycle.STARTED, Map.of("port", 8080));
 * }</pre>
 */
public final class StructuredLogger {
    /** Severity of a security event; decides the log level (LOW→INFO, MEDIUM/HIGH→WARN, CRITICAL→ERROR). */
    public enum Severity {
        LOW,
        MEDIUM,
        HIGH,
        CRITICAL;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Outcome of an audited action; a failure or denial is logged at WARN. */
    public enum Outcome {
        SUCCESS,
        FAILURE,
        DENIED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Service lifecycle events (category {@code infrastructure}). */
    public enum Lifecycle {
        STARTING,
        STARTED,
        READY,
        STOPPING,
        STOPPED,
        CONFIG_RELOADED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Logger logger;
    private final PiiMasker headerMasker;

    private StructuredLogger(Logger logger, PiiMasker headerMasker) {
        this.logger = logger;
        this.headerMasker = headerMasker;
    }

    public static StructuredLogger getLogger(Class<?> type) {
        return of(LoggerFactory.getLogger(type));
    }

    public static StructuredLogger getLogger(String name) {
        return of(LoggerFactory.getLogger(name));
    }

    public static StructuredLogger of(Logger logger) {
        return new StructuredLogger(Objects.requireNonNull(logger, "logger"), PiiMasker.defaults());
    }

    /** A copy that redacts access-log headers with {@code masker} instead of the defaults. */
    public StructuredLogger withHeaderMasker(PiiMasker masker) {
        return new StructuredLogger(logger, Objects.requireNonNull(masker, "masker"));
    }

    /** The underlying SLF4J logger. */
    public Logger slf4j() {
        return logger;
    }

    /** A fluent SLF4J builder pre-tagged with {@code category}; add fields with {@code addKeyValue}. */
    public LoggingEventBuilder at(Level level, LogCategory category) {
        return logger.atLevel(level).addMarker(category.marker());
    }

    public void debug(LogCategory category, String message, @Nullable Map<String, ?> fields) {
        log(Level.DEBUG, category, message, fields, null);
    }

    public void info(LogCategory category, String message, @Nullable Map<String, ?> fields) {
        log(Level.INFO, category, message, fields, null);
    }

    public void info(LogCategory category, String message) {
        log(Level.INFO, category, message, null, null);
    }

    public void warn(LogCategory category, String message, @Nullable Map<String, ?> fields) {
        log(Level.WARN, category, message, fields, null);
    }

    public void error(
            LogCategory category, String message, @Nullable Map<String, ?> fields, @Nullable Throwable error) {
        log(Level.ERROR, category, message, fields, error);
    }

    /** Business event (INFO, category business): {@code event} is the message and field {@code event}. */
    public void business(String event, @Nullable Map<String, ?> fields) {
        if (logger.isInfoEnabled()) {
            addFields(
                            at(Level.INFO, LogCategory.BUSINESS)
                                    .addKeyValue("event", event)
                                    .setMessage(event),
                            fields)
                    .log();
        }
    }

    /** Security event (category security, never sampled); the level follows {@code severity}. */
    public void security(String event, Severity severity, @Nullable Map<String, ?> fields) {
        Level level;
        switch (severity) {
            case LOW:
                level = Level.INFO;
                break;
            case CRITICAL:
                level = Level.ERROR;
                break;
            default:
                level = Level.WARN;
        }
        if (logger.isEnabledForLevel(level)) {
            addFields(
                            at(level, LogCategory.SECURITY)
                                    .addKeyValue("event", event)
                                    .addKeyValue("severity", severity.label())
                                    .setMessage(event),
                            fields)
                    .log();
        }
    }

    /** Audit record (category audit, never sampled): who did what to which resource, and how it ended. */
    public void audit(String actor, String action, String resource, Outcome outcome) {
        audit(actor, action, resource, outcome, null);
    }

    public void audit(String actor, String action, String resource, Outcome outcome, @Nullable Map<String, ?> fields) {
        Level level = outcome == Outcome.SUCCESS ? Level.INFO : Level.WARN;
        if (logger.isEnabledForLevel(level)) {
            addFields(
                            at(level, LogCategory.AUDIT)
                                    .addKeyValue("actor", actor)
                                    .addKeyValue("action", action)
                                    .addKeyValue("resource", resource)
                                    .addKeyValue("outcome", outcome.label())
                                    .setMessage(() -> actor + " " + action + " " + resource + ": " + outcome.label()),
                            fields)
                    .log();
        }
    }

    /** Timing of an operation (INFO, category performance) with {@code duration_ms}. */
    public void performance(String operation, Duration duration, @Nullable Map<String, ?> fields) {
        if (logger.isInfoEnabled()) {
            addFields(
                            at(Level.INFO, LogCategory.PERFORMANCE)
                                    .addKeyValue("operation", operation)
                                    .addKeyValue("duration_ms", duration.toNanos() / 1_000_000.0)
                                    .setMessage(operation),
                            fields)
                    .log();
        }
    }

    /** Service lifecycle event (INFO, category infrastructure), message {@code service <event>}. */
    public void lifecycle(Lifecycle event, @Nullable Map<String, ?> fields) {
        if (logger.isInfoEnabled()) {
            addFields(
                            at(Level.INFO, LogCategory.INFRASTRUCTURE)
                                    .addKeyValue("event", event.label())
                                    .setMessage(() -> "service " + event.label()),
                            fields)
                    .log();
        }
    }

    /**
     * Access-log line (category access): method, route template, status, duration and the request
     * headers with {@code Authorization}, cookies and other sensitive headers redacted.
     */
    public void access(
            String method,
            String route,
            int status,
            Duration duration,
            @Nullable Map<String, ? extends Collection<String>> headers) {
        Level level = status >= 500 ? Level.WARN : Level.INFO;
        if (logger.isEnabledForLevel(level)) {
            LoggingEventBuilder b = at(level, LogCategory.ACCESS)
                    .addKeyValue("method", method)
                    .addKeyValue("route", route)
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", duration.toNanos() / 1_000_000.0);
            if (headers != null && !headers.isEmpty()) {
                b.addKeyValue("headers", headerMasker.redactHeaders(headers));
            }
            b.setMessage(() -> method + " " + route + " " + status).log();
        }
    }

    private void log(Level level, LogCategory category, String message, Map<String, ?> fields, Throwable error) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder b = at(level, category).setMessage(message);
        if (error != null) {
            b.setCause(error);
        }
        addFields(b, fields).log();
    }

    private static LoggingEventBuilder addFields(LoggingEventBuilder b, Map<String, ?> fields) {
        if (fields != null) {
            for (Map.Entry<String, ?> e : fields.entrySet()) {
                b.addKeyValue(e.getKey(), e.getValue());
            }
        }
        return b;
    }
}
