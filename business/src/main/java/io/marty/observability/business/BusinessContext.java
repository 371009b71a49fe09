package io.marty.observability.business;

import io.marty.observability.core.correlation.ContextFields;
import io.marty.observability.core.correlation.MdcKeys;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Business attributes of the current unit of work ({@code order_id}, {@code tenant}, {@code cart_id}
 * …), attached like a correlation scope. While the scope is open every JSON log line carries them
 * under {@code fields}, every span started gets them as {@code mmf.business.<key>} (and the current
 * span when the scope opens), and tasks submitted through core's {@code ContextExecutors} carry them
 * to their threads. They never become metric labels. Optionally, keys on an allow-list also go
 * downstream as W3C baggage.
 *
 * <pre>{@code
 * try (Scope ignored = BusinessContext.with("order_id", order.id()).and("tenant", "acme").attach()) {
 *     log.info("order accepted");      // "fields":{"order_id":"o-123","tenant":"acme",…}
 *     payments.charge(order);          // spans carry mmf.business.order_id
 * }
 * // downstream as baggage, only the allowed keys:
 * try (Scope ignored = BusinessContext.with("tenant", "acme").attachWithBaggage(Set.of("tenant"))) { … }
 * }</pre>
 *
 * <p>Bounded: at most {@value #MAX_ATTRIBUTES} attributes (a nested scope adds to and overrides the
 * enclosing one's), keys {@code [a-z][a-z0-9_.]{0,63}}, values cut to {@value #MAX_VALUE_LENGTH}
 * characters. Keys that are core correlation dimensions ({@code correlation_id}, {@code user_id} …)
 * are refused: they have their own context.
 */
public final class BusinessContext {
    /** Most attributes one context holds. */
    public static final int MAX_ATTRIBUTES = 16;
    /** Longest value kept; longer ones are cut. */
    public static final int MAX_VALUE_LENGTH = 256;
    /** Prefix of the span attributes. */
    public static final String SPAN_ATTRIBUTE_PREFIX = "mmf.business.";

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_.]{0,63}");
    private static final Set<String> CORE_KEYS = Set.copyOf(MdcKeys.ALL);

    private final Map<String, String> attributes;

    private BusinessContext(Map<String, String> attributes) {
        this.attributes = attributes;
    }

    /** The attributes of the current context (empty when none). */
    public static Map<String, String> current() {
        ContextFields f = ContextFields.current();
        return f == null || !SPAN_ATTRIBUTE_PREFIX.equals(f.spanAttributePrefix()) ? Map.of() : f.values();
    }

    /** The current attribute {@code key}, or null. */
    public static @Nullable String get(String key) {
        return current().get(key);
    }

    /** A context holding the current attributes plus {@code key=value}. */
    public static BusinessContext with(String key, String value) {
        return new BusinessContext(new LinkedHashMap<>(current())).and(key, value);
    }

    /** A context holding the current attributes plus {@code values}. */
    public static BusinessContext with(Map<String, String> values) {
        BusinessContext c = new BusinessContext(new LinkedHashMap<>(current()));
        values.forEach(c::and);
        return c;
    }

    /**
     * Adds {@code key=value}; fails naming the key when it is not {@code [a-z][a-z0-9_.]{0,63}}, is a
     * correlation dimension, or would be attribute number {@value #MAX_ATTRIBUTES} + 1.
     */
    public BusinessContext and(String key, String value) {
        Objects.requireNonNull(value, "value of " + key);
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("business context key '" + key + "' must match [a-z][a-z0-9_.]{0,63}");
        }
        if (CORE_KEYS.contains(key)) {
            throw new IllegalArgumentException(
                    "business context key '" + key + "' is a correlation dimension: set it on CorrelationContext");
        }
        if (!attributes.containsKey(key) && attributes.size() >= MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("business context holds at most " + MAX_ATTRIBUTES
                    + " attributes; cannot add '" + key + "' to " + attributes.keySet());
        }
        attributes.put(key, value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value);
        return this;
    }

    /** The attributes of this context. */
    public Map<String, String> attributes() {
        return Map.copyOf(attributes);
    }

    /**
     * Makes these attributes current until the scope closes, and sets them on the current span.
     */
    public Scope attach() {
        return attach(Context.current());
    }

    /**
     * Like {@link #attach()}, and also puts the attributes whose key is in {@code baggageAllowList}
     * into the W3C baggage, so outgoing calls propagate them downstream.
     */
    public Scope attachWithBaggage(Collection<String> baggageAllowList) {
        Context ctx = Context.current();
        BaggageBuilder b = Baggage.fromContext(ctx).toBuilder();
        boolean any = false;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (baggageAllowList.contains(e.getKey())) {
                b.put(e.getKey(), e.getValue());
                any = true;
            }
        }
        return attach(any ? ctx.with(b.build()) : ctx);
    }

    /**
     * Business attributes from the incoming W3C baggage of the current context: the entries whose
     * key is in {@code allowList} (and is a valid key), to {@link #attach()} on the receiving side.
     */
    public static BusinessContext fromBaggage(Collection<String> allowList) {
        BusinessContext c = new BusinessContext(new LinkedHashMap<>(current()));
        Baggage.current().forEach((k, entry) -> {
            if (allowList.contains(k) && KEY.matcher(k).matches() && !CORE_KEYS.contains(k)) {
                c.and(k, entry.getValue());
            }
        });
        return c;
    }

    private Scope attach(Context ctx) {
        Map<String, String> snapshot = new LinkedHashMap<>(attributes);
        Span span = Span.fromContext(ctx);
        if (span.isRecording()) {
            snapshot.forEach((k, v) -> span.setAttribute(SPAN_ATTRIBUTE_PREFIX + k, v));
        }
        return ctx.with(ContextFields.of(SPAN_ATTRIBUTE_PREFIX, snapshot)).makeCurrent();
    }

    @Override
    public String toString() {
        return "BusinessContext" + attributes;
    }
}
