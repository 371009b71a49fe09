package io.marty.observability.core.config;

import io.marty.observability.core.ObservabilityConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The values of one settings builder: those set in code (keyed by builder property, null allowed
 * so that a null argument is reported) over its {@link ConfigSource}, over defaults. Parsing errors
 * name the key the value came from.
 */
final class Values {
    /** Parses a raw string; throws {@link IllegalArgumentException} whose message says what is expected. */
    interface Parser<T> {
        T parse(String raw);
    }

    static final Parser<String> STRING = String::trim;
    static final Parser<Integer> INTEGER = raw -> {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer");
        }
    };
    static final Parser<Double> NUMBER = raw -> {
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number");
        }
    };
    static final Parser<Boolean> BOOLEAN = raw -> {
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
            case "yes":
            case "on":
                return true;
            case "false":
            case "0":
            case "no":
            case "off":
                return false;
            default:
                throw new IllegalArgumentException("must be a boolean (true/false, 1/0, yes/no, on/off)");
        }
    };
    /** Durations in variables are whole milliseconds, as the OTel spec defines them. */
    static final Parser<Duration> MILLIS = raw -> {
        try {
            return Duration.ofMillis(Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number of milliseconds");
        }
    };

    private final ConfigSource source;
    private final Map<String, Object> explicit = new HashMap<>();
    private Map<String, String> resource;

    Values(ConfigSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    ConfigSource source() {
        return source;
    }

    void set(String property, Object value) {
        explicit.put(property, value);
    }

    boolean isSet(String property) {
        return explicit.containsKey(property);
    }

    /** A string value; variables starting with {@code @} name an {@code OTEL_RESOURCE_ATTRIBUTES} entry. */
    Setting<String> string(String property, String fallback, String... variables) {
        return get(property, STRING, fallback, variables);
    }

    @SuppressWarnings("unchecked")
    <T> Setting<T> get(String property, Parser<T> parser, T fallback, String... variables) {
        if (explicit.containsKey(property)) {
            Object v = explicit.get(property);
            return new Setting<>(property, v == null ? null : String.valueOf(v), (T) v);
        }
        for (String variable : variables) {
            Setting<String> raw = raw(variable);
            if (raw != null) {
                return parse(raw, parser);
            }
        }
        return new Setting<>(property, fallback == null ? null : String.valueOf(fallback), fallback);
    }

    /** The raw value of one variable (or {@code @resource.attribute}), or null when unset. */
    Setting<String> raw(String variable) {
        if (variable.startsWith("@")) {
            String v = resourceAttributes().get(variable.substring(1));
            return v == null || v.isBlank() ? null : new Setting<>(keyOf("OTEL_RESOURCE_ATTRIBUTES"), v, v);
        }
        ConfigSource.Entry e = source.find(variable);
        return e == null ? null : new Setting<>(e.key, e.value, e.value);
    }

    static <T> Setting<T> parse(Setting<String> raw, Parser<T> parser) {
        try {
            return new Setting<>(raw.key, raw.raw, parser.parse(raw.value));
        } catch (IllegalArgumentException e) {
            throw raw.invalid(e.getMessage());
        }
    }

    /** The parsed {@code OTEL_RESOURCE_ATTRIBUTES}. */
    Map<String, String> resourceAttributes() {
        if (resource == null) {
            resource = keyValues("OTEL_RESOURCE_ATTRIBUTES");
        }
        return resource;
    }

    private String keyOf(String variable) {
        ConfigSource.Entry e = source.find(variable);
        return e == null ? variable : e.key;
    }

    /** A {@code k=v,k2=v2} variable with percent-decoded values (OTel spec), empty when unset. */
    Map<String, String> keyValues(String variable) {
        Setting<String> raw = raw(variable);
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw raw.invalid("entry '" + part.trim() + "' is not of the form key=value");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            try {
                value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw raw.invalid("value of '" + key + "' is not valid percent-encoding");
            }
            out.put(key, value);
        }
        return out;
    }

    // ---- checks shared by the settings builders ----------------------------------------------

    static void checkNotBlank(Setting<String> s, String what) {
        if (s.value == null || s.value.isBlank()) {
            throw s.invalid(what + " must not be empty");
        }
    }

    static void checkPositive(Setting<Duration> s) {
        if (s.value == null || s.value.isNegative() || s.value.isZero()) {
            throw s.invalid("must be a positive duration");
        }
    }

    static void checkAtLeast(Setting<Integer> s, int min) {
        if (s.value == null || s.value < min) {
            throw s.invalid("must be at least " + min);
        }
    }

    /** Checks an absolute http(s) URL; {@code example} completes the message. */
    static void checkHttpUrl(Setting<String> s, String example) {
        String reason = "must be an absolute http:// or https:// URL such as " + example;
        if (s.value == null) {
            throw s.invalid(reason);
        }
        try {
            URI uri = new URI(s.value);
            String scheme = uri.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw s.invalid(reason);
            }
        } catch (URISyntaxException e) {
            throw s.invalid(reason);
        }
    }

    static ObservabilityConfigException oneOf(Setting<?> s, String choices) {
        return s.invalid("must be one of " + choices);
    }
}
