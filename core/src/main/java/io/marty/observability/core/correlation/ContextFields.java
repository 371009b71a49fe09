package io.marty.observability.core.correlation;

import io.marty.observability.core.internal.MdcContextStorage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.ImplicitContextKeyed;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Free-form key/values carried in the OpenTelemetry {@link Context} next to the {@link
 * CorrelationContext}: whatever propagates the context (scopes, {@link ContextExecutors}) carries
 * them, the SLF4J MDC mirrors them (so JSON log lines show them under {@code fields}) and every span
 * started while they are current gets them as attributes named {@code spanAttributePrefix + key}.
 * The business module's {@code BusinessContext} is the API applications use; this class is the
 * mechanism core's context storage and span processor know about. Until the first instance is made
 * current nothing on the context or span path looks for it.
 *
 * <pre>{@code
 * ContextFields f = ContextFields.of("mmf.business.", Map.of("order_id", "o-1"));
 * try (Scope ignored = f.makeCurrent()) {
 *     log.info("charged");   // "fields":{"order_id":"o-1"}; new spans get mmf.business.order_id
 * }
 * }</pre>
 */
public final class ContextFields implements ImplicitContextKeyed {

    static {
        MdcContextStorage.install();
    }

    private static final ContextKey<ContextFields> KEY = ContextKey.named("mmf-context-fields");

    /** True once any instance was stored in a context: the hot paths skip the lookup before that. */
    private static volatile boolean inUse;

    private final String spanAttributePrefix;
    private final Map<String, String> values;

    private ContextFields(String spanAttributePrefix, Map<String, String> values) {
        this.spanAttributePrefix = spanAttributePrefix;
        this.values = values;
    }

    /** Fields with the given values (copied, order kept); spans get {@code spanAttributePrefix + key}. */
    public static ContextFields of(String spanAttributePrefix, Map<String, String> values) {
        Objects.requireNonNull(spanAttributePrefix, "spanAttributePrefix");
        return new ContextFields(spanAttributePrefix, Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /** The fields of {@link Context#current()}, or null. */
    public static @Nullable ContextFields current() {
        return fromContext(Context.current());
    }

    /** The fields stored in {@code context}, or null (always null, without a lookup, before first use). */
    public static @Nullable ContextFields fromContext(@Nullable Context context) {
        if (!inUse || context == null) {
            return null;
        }
        return context.get(KEY);
    }

    /** Whether any fields were ever stored in a context in this JVM. */
    public static boolean inUse() {
        return inUse;
    }

    @Override
    public Context storeInContext(Context context) {
        inUse = true;
        return context.with(KEY, this);
    }

    /** The values, in insertion order. */
    public Map<String, String> values() {
        return values;
    }

    /** Prefix of the span attribute names, e.g. {@code mmf.business.}. */
    public String spanAttributePrefix() {
        return spanAttributePrefix;
    }

    /** Calls {@code action} for every key and value. */
    public void forEach(BiConsumer<String, String> action) {
        values.forEach(action);
    }

    @Override
    public String toString() {
        return "ContextFields" + values;
    }
}
