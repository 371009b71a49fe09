package io.marty.observability.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when a configuration value is invalid. The message always names the
 * configuration key (builder property or environment variable) and the rejected value, e.g.
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT='localhost:4318': must be an absolute http:// or https:// URL}.
 */
public final class ObservabilityConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    /**
     * Creates the exception.
     *
     * @param key the builder property or environment variable that holds the bad value
     * @param value the rejected value as given (may be {@code null})
     * @param reason what is wrong with it and what is expected
     */
    public ObservabilityConfigException(String key, @Nullable String value, String reason) {
        super("Invalid observability configuration: " + key + "=" + (value == null ? "<null>" : "'" + value + "'")
                + ": " + reason);
        this.key = key;
        this.value = value;
    }

    /** The configuration key (builder property name or environment variable) that was rejected. */
    public String key() {
        return key;
    }

    /** The rejected value, or {@code null} when the value was missing. */
    public @Nullable String value() {
        return value;
    }
}
