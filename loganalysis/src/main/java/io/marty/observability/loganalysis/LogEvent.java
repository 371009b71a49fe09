package io.marty.observability.loganalysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One structured log event in the MMF JSON schema: {@code timestamp, level, service_name, category,
 * message, context{correlation_id, trace_id, user_id …}, fields{…}}. Immutable.
 *
 * <pre>{@code
 * LogEvent e = LogEvent.builder()
 *     .level(LogLevel.WARN).service("auth").category("security")
 *     .message("Login failed")
 *     .context("user_id", "alice")
 *     .field("security_event", "authentication_failure")
 *     .field("source_ip", "10.0.0.7")
 *     .build();
 * }</pre>
 */
public final class LogEvent {
    /** Marker for "no timestamp in the record": the analyzer then uses its clock. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private final long timestampMillis;
    private final LogLevel level;
    private final String service;
    private final String category;
    private final String message;
    private final Map<String, String> context;
    private final Map<String, Object> fields;
    private final boolean structured;

    private LogEvent(Builder b) {
        this.timestampMillis = b.timestampMillis;
        this.level = b.level;
        this.service = b.service;
        this.category = b.category;
        this.message = b.message;
        this.context = b.context.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.context));
        this.fields = b.fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.fields));
        this.structured = b.structured;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Epoch millis of the event or {@link #NO_TIMESTAMP}. */
    public long timestampMillis() {
        return timestampMillis;
    }

    public boolean hasTimestamp() {
        return timestampMillis != NO_TIMESTAMP;
    }

    public LogLevel level() {
        return level;
    }

    /** {@code service_name}, or {@code "unknown"} when absent. */
    public String service() {
        return service;
    }

    /** Lower-case category ({@code application security performance business …}), or empty. */
    public String category() {
        return category;
    }

    public String message() {
        return message;
    }

    /** The {@code context} object (correlation_id, request_id, user_id, trace_id …). */
    public Map<String, String> context() {
        return context;
    }

    /** The {@code fields} object: values are String, Number, Boolean or nested Map/List. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** True for events parsed from JSON (or OTLP), false for plain-text lines. */
    public boolean structured() {
        return structured;
    }

    /**
     * Looks a value up by path: {@code level}, {@code service}/{@code service_name}, {@code category},
     * {@code message}, {@code context.<key>}, {@code fields.<key>}; a bare name is looked up in
     * fields, then context. Returns null when absent.
     */
    public @Nullable Object value(String path) {
        switch (path) {
            case "level":
                return level.name();
            case "service":
            case "service_name":
                return service;
            case "category":
                return category;
            case "message":
                return message;
            default:
                break;
        }
        if (path.startsWith("fields.")) {
            return fields.get(path.substring(7));
        }
        if (path.startsWith("context.")) {
            return context.get(path.substring(8));
        }
        Object v = fields.get(path);
        return v != null ? v : context.get(path);
    }

    /** {@link #value(String)} as text, or null. */
    public @Nullable String text(String path) {
        Object v = value(path);
        return v == null ? null : v.toString();
    }

    /** {@link #value(String)} as a number, or NaN when absent or not numeric. */
    public double number(String path) {
        return toNumber(value(path));
    }

    /** First non-empty text among the given paths, or null. */
    public @Nullable String firstText(String... paths) {
        for (String p : paths) {
            String v = text(p);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    static double toNumber(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            String s = ((String) v).trim();
            if (s.isEmpty() || s.length() > 40) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    @Override
    public String toString() {
        return "LogEvent{" + level + " " + service + " " + category + " '" + message + "' context=" + context
                + " fields=" + fields + "}";
    }

    /** Builder for {@link LogEvent}. */
    public static final class Builder {
        private long timestampMillis = NO_TIMESTAMP;
        private LogLevel level = LogLevel.UNKNOWN;
        private String service = "unknown";
        private String category = "";
        private String message = "";
        private final Map<String, String> context = new LinkedHashMap<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private boolean structured = true;

        private Builder() {}

        public Builder timestampMillis(long epochMillis) {
            this.timestampMillis = epochMillis;
            return this;
        }

        public Builder level(LogLevel level) {
            this.level = Objects.requireNonNull(level, "level");
            return this;
        }

        public Builder service(@Nullable String service) {
            this.service = service == null || service.isEmpty() ? "unknown" : service;
            return this;
        }

        public Builder category(@Nullable String category) {
            this.category = category == null ? "" : category.toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        public Builder message(@Nullable String message) {
            this.message = message == null ? "" : message;
            return this;
        }

        public Builder context(String key, @Nullable String value) {
            if (value != null && !value.isEmpty()) {
                context.put(key, value);
            }
            return this;
        }

        public Builder field(String key, @Nullable Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        public Builder structured(boolean structured) {
            this.structured = structured;
            return this;
        }

        public LogEvent build() {
            return new LogEvent(this);
        }
    }
}
