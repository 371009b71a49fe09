package io.marty.observability.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Where settings not given in code come from: environment variables, and Java system properties
 * in the dotted lower-case form the OpenTelemetry SDK reads ({@code -Dotel.exporter.otlp.endpoint=...}
 * for {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code -Dmmf.service.name=...} for {@code
 * MMF_SERVICE_NAME}); a system property wins over the variable. Blank values count as unset.
 *
 * <p>Every settings builder of this package resolves a setting the same way: the value set on the
 * builder, else the first variable found in its source, else the default.
 *
 * <pre>{@code
 * ConfigSource env = ConfigSource.environment();                 // System.getenv() + system properties
 * ConfigSource test = ConfigSource.of(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces"));
 * OtlpSettings otlp = OtlpSettings.builder(test).build();
 * }</pre>
 */
public final class ConfigSource {
    private static final ConfigSource EMPTY = new ConfigSource(Map.of(), null);

    private final Map<String, String> variables;
    private final Properties systemProperties;

    private ConfigSource(Map<String, String> variables, Properties systemProperties) {
        this.variables = variables;
        this.systemProperties = systemProperties;
    }

    /** A source without any value: only builder values and defaults apply. */
    public static ConfigSource empty() {
        return EMPTY;
    }

    /** The given variables (keyed by their environment-variable name, e.g. {@code OTEL_SERVICE_NAME}). */
    public static ConfigSource of(Map<String, String> variables) {
        return new ConfigSource(Map.copyOf(Objects.requireNonNull(variables, "variables")), null);
    }

    /** {@link System#getenv()}, overridden by system properties ({@code otel.*}, {@code mmf.*}). */
    public static ConfigSource environment() {
        return new ConfigSource(System.getenv(), System.getProperties());
    }

    /**
     * The value of a variable, or {@code null} when it is unset or blank.
     *
     * @param variable the environment-variable name, e.g. {@code OTEL_EXPORTER_OTLP_HEADERS}
     */
    public @Nullable String get(String variable) {
        Entry e = find(variable);
        return e == null ? null : e.value;
    }

    /** The variable's value and the name it was found under (for error messages), or null. */
    Entry find(String variable) {
        if (systemProperties != null) {
            String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
            String v = systemProperties.getProperty(property);
            if (v != null && !v.isBlank()) {
                return new Entry(property, v);
            }
        }
        String v = variables.get(variable);
        return v == null || v.isBlank() ? null : new Entry(variable, v);
    }

    /** One value found in a source, with the key (variable or system property) that holds it. */
    static final class Entry {
        final String key;
        final String value;

        Entry(String key, String value) {
            this.key = key;
            this.value = value;
        }
    }
}
