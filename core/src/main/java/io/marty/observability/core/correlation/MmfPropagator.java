package io.marty.observability.core.correlation;

import io.marty.observability.core.propagation.CaseInsensitiveGetter;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry {@link TextMapPropagator} for the {@code X-MMF-*} correlation headers ({@link
 * MmfHeaders}). Composed with W3C TraceContext and Baggage by {@code MartyPropagators}.
 *
 * <p><b>Inject</b> writes every dimension of the context's {@link CorrelationContext} that is set
 * (the request id sent is the sender's own; the parent request id is not sent).
 *
 * <p><b>Extract</b> reads the six headers (canonical spelling first, then lower case) and the legacy
 * {@code X-Correlation-ID}; it stores a context whose request id is new, whose parent request id is
 * the incoming request id, and whose correlation id is the incoming one or, when absent or invalid,
 * a generated UUID ({@link #create(boolean) unless disabled}). Values failing {@link
 * MmfHeaders#isValidValue(String)} are dropped (replaced) and counted in {@link
 * #invalidValueCount()}; they are never echoed or logged.
 *
 * <pre>{@code
 * Context ctx = MmfPropagator.getInstance().extract(Context.current(), request, getter);
 * try (Scope s = ctx.makeCurrent()) { ... }
 * }</pre>
 */
public final class MmfPropagator implements TextMapPropagator {

    private static final MmfPropagator INSTANCE = new MmfPropagator(true);
    private static final LongAdder INVALID = new LongAdder();
    private static final String[] LOWER = {
        MmfHeaders.lowerCase(MmfHeaders.CORRELATION_ID),
        MmfHeaders.lowerCase(MmfHeaders.REQUEST_ID),
        MmfHeaders.lowerCase(MmfHeaders.USER_ID),
        MmfHeaders.lowerCase(MmfHeaders.SESSION_ID),
        MmfHeaders.lowerCase(MmfHeaders.OPERATION_ID),
        MmfHeaders.lowerCase(MmfHeaders.PLUGIN_ID),
        MmfHeaders.LEGACY_CORRELATION_ID.toLowerCase(Locale.ROOT)
    };

    private final boolean generateMissing;

    private MmfPropagator(boolean generateMissing) {
        this.generateMissing = generateMissing;
    }

    /** The propagator that generates a correlation id when the carrier has none. */
    public static MmfPropagator getInstance() {
        return INSTANCE;
    }

    /**
     * A propagator; with {@code generateMissingCorrelationId=false}, extraction from a carrier
     * without MMF headers leaves the context unchanged.
     */
    public static MmfPropagator create(boolean generateMissingCorrelationId) {
        return generateMissingCorrelationId ? INSTANCE : new MmfPropagator(false);
    }

    /** How many incoming header values were rejected by validation since JVM start. */
    public static long invalidValueCount() {
        return INVALID.sum();
    }

    @Override
    public Collection<String> fields() {
        return MmfHeaders.ALL;
    }

    @Override
    public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
        if (context == null || setter == null) {
            return;
        }
        CorrelationContext c = CorrelationContext.fromContext(context);
        if (c.isEmpty()) {
            return;
        }
        set(carrier, setter, MmfHeaders.CORRELATION_ID, c.correlationId());
        set(carrier, setter, MmfHeaders.REQUEST_ID, c.requestId());
        set(carrier, setter, MmfHeaders.USER_ID, c.userId());
        set(carrier, setter, MmfHeaders.SESSION_ID, c.sessionId());
        set(carrier, setter, MmfHeaders.OPERATION_ID, c.operationId());
        set(carrier, setter, MmfHeaders.PLUGIN_ID, c.pluginId());
    }

    private static <C> void set(C carrier, TextMapSetter<C> setter, String name, String value) {
        if (value != null) {
            setter.set(carrier, name, value);
        }
    }

    @Override
    public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
        if (context == null) {
            context = Context.root();
        }
        if (getter == null) {
            return context;
        }
        String correlationId = read(carrier, getter, MmfHeaders.CORRELATION_ID, LOWER[0]);
        if (correlationId == null) {
            correlationId = read(carrier, getter, MmfHeaders.LEGACY_CORRELATION_ID, LOWER[6]);
        }
        String parentRequestId = read(carrier, getter, MmfHeaders.REQUEST_ID, LOWER[1]);
        String userId = read(carrier, getter, MmfHeaders.USER_ID, LOWER[2]);
        String sessionId = read(carrier, getter, MmfHeaders.SESSION_ID, LOWER[3]);
        String operationId = read(carrier, getter, MmfHeaders.OPERATION_ID, LOWER[4]);
        String pluginId = read(carrier, getter, MmfHeaders.PLUGIN_ID, LOWER[5]);
        if (correlationId == null) {
            boolean anything = parentRequestId != null
                    || userId != null
                    || sessionId != null
                    || operationId != null
                    || pluginId != null;
            if (!generateMissing && !anything) {
                return context;
            }
            correlationId = CorrelationContext.newId();
        }
        return context.with(CorrelationContext.builder()
                .correlationId(correlationId)
                .requestId(CorrelationContext.newId())
                .parentRequestId(parentRequestId)
                .userId(userId)
                .sessionId(sessionId)
                .operationId(operationId)
                .pluginId(pluginId)
                .build());
    }

    private static <C> String read(C carrier, TextMapGetter<C> getter, String name, String lower) {
        String v = getter.get(carrier, name);
        if (v == null && !(getter instanceof CaseInsensitiveGetter)) {
            v = getter.get(carrier, lower);
        }
        if (v == null) {
            return null;
        }
        if (!MmfHeaders.isValidValue(v)) {
            INVALID.increment();
            return null;
        }
        return v;
    }

    @Override
    public String toString() {
        return "MmfPropagator{generateMissing=" + generateMissing + "}";
    }
}
