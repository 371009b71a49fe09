package io.marty.observability.core.correlation;

import io.marty.observability.core.internal.MdcContextStorage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.ImplicitContextKeyed;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The MMF correlation dimensions of the current unit of work, stored inside the OpenTelemetry
 * {@link Context}. Immutable; every value may be {@code null} (absent). Whatever propagates the OTel
 * context (scopes, {@link ContextExecutors}, {@code Context.taskWrapping}) propagates this too, and
 * the SLF4J MDC mirrors it (keys in {@link MdcKeys}).
 *
 * <pre>{@code
 * CorrelationContext ctx = CorrelationContext.current().newChild().toBuilder()
 *         .userId("u-42")
 *         .build();
 * try (Scope ignored = ctx.makeCurrent()) {
 *     log.info("charged");   // MDC has correlation_id, request_id, parent_request_id, user_id
 * }
 * }</pre>
 */
public final class CorrelationContext implements ImplicitContextKeyed {

    static {
        // the MDC view must be registered before OTel's context storage is first used
        MdcContextStorage.install();
    }

    private static final ContextKey<CorrelationContext> KEY = ContextKey.named("mmf-correlation-context");

    /** The context with no dimension set. */
    public static final CorrelationContext EMPTY = new Builder().build();

    private final String correlationId;
    private final String requestId;
    private final String parentRequestId;
    private final String userId;
    private final String sessionId;
    private final String operationId;
    private final String pluginId;

    private CorrelationContext(Builder b) {
        this.correlationId = b.correlationId;
        this.requestId = b.requestId;
        this.parentRequestId = b.parentRequestId;
        this.userId = b.userId;
        this.sessionId = b.sessionId;
        this.operationId = b.operationId;
        this.pluginId = b.pluginId;
    }

    /** The correlation context of {@link Context#current()}, or {@link #EMPTY}; never null. */
    public static CorrelationContext current() {
        return fromContext(Context.current());
    }

    /** The correlation context stored in {@code context}, or {@link #EMPTY}; never null. */
    public static CorrelationContext fromContext(@Nullable Context context) {
        CorrelationContext c = context == null ? null : context.get(KEY);
        return c == null ? EMPTY : c;
    }

    /** A new root: fresh correlation id and request id, nothing else. */
    public static CorrelationContext newRoot() {
        return new Builder().correlationId(newId()).requestId(newId()).build();
    }

    /** A new empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A random UUID (version 4 layout) as a 36-character string. Uses {@link ThreadLocalRandom}
     * rather than {@code SecureRandom}: ids must be unique, not secret, and this is per request.
     */
    public static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * A child for a new hop or sub-operation: same correlation id (a new one if absent), a new
     * request id, this request id as parent, the other dimensions kept.
     */
    public CorrelationContext newChild() {
        return toBuilder()
                .correlationId(correlationId != null ? correlationId : newId())
                .parentRequestId(requestId)
                .requestId(newId())
                .build();
    }

    /** {@code context} with this correlation context stored in it. */
    @Override
    public Context storeInContext(Context context) {
        return context.with(KEY, this);
    }

    /** A builder holding this context's values. */
    public Builder toBuilder() {
        return new Builder()
                .correlationId(correlationId)
                .requestId(requestId)
                .parentRequestId(parentRequestId)
                .userId(userId)
                .sessionId(sessionId)
                .operationId(operationId)
                .pluginId(pluginId);
    }

    /** Whether no dimension is set. */
    public boolean isEmpty() {
        return correlationId == null
                && requestId == null
                && parentRequestId == null
                && userId == null
                && sessionId == null
                && operationId == null
                && pluginId == null;
    }

    /** Correlation id, or null. */
    public @Nullable String correlationId() {
        return correlationId;
    }

    /** Request id of this hop, or null. */
    public @Nullable String requestId() {
        return requestId;
    }

    /** Request id of the caller, or null. */
    public @Nullable String parentRequestId() {
        return parentRequestId;
    }

    /** User id, or null. */
    public @Nullable String userId() {
        return userId;
    }

    /** Session id, or null. */
    public @Nullable String sessionId() {
        return sessionId;
    }

    /** Operation id, or null. */
    public @Nullable String operationId() {
        return operationId;
    }

    /** Plugin id, or null. */
    public @Nullable String pluginId() {
        return pluginId;
    }

    /**
     * Calls {@code action} with ({@link MdcKeys} key, value) for every dimension that is set, in the
     * order of {@link MdcKeys#ALL}. Allocation-free.
     */
    public void forEach(BiConsumer<String, String> action) {
        if (correlationId != null) action.accept(MdcKeys.CORRELATION_ID, correlationId);
        if (requestId != null) action.accept(MdcKeys.REQUEST_ID, requestId);
        if (parentRequestId != null) action.accept(MdcKeys.PARENT_REQUEST_ID, parentRequestId);
        if (userId != null) action.accept(MdcKeys.USER_ID, userId);
        if (sessionId != null) action.accept(MdcKeys.SESSION_ID, sessionId);
        if (operationId != null) action.accept(MdcKeys.OPERATION_ID, operationId);
        if (pluginId != null) action.accept(MdcKeys.PLUGIN_ID, pluginId);
    }

    /** The set dimensions keyed by their {@link MdcKeys} name, in a stable order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        forEach(m::put);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CorrelationContext)) {
            return false;
        }
        CorrelationContext c = (CorrelationContext) o;
        return Objects.equals(correlationId, c.correlationId)
                && Objects.equals(requestId, c.requestId)
                && Objects.equals(parentRequestId, c.parentRequestId)
                && Objects.equals(userId, c.userId)
                && Objects.equals(sessionId, c.sessionId)
                && Objects.equals(operationId, c.operationId)
                && Objects.equals(pluginId, c.pluginId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(correlationId, requestId, parentRequestId, userId, sessionId, operationId, pluginId);
    }

    @Override
    public String toString() {
        return "CorrelationContext" + asMap();
    }

    /** Builder of {@link CorrelationContext}; {@code null} means "absent". */
    public static final class Builder {
        private String correlationId;
        private String requestId;
        private String parentRequestId;
        private String userId;
        private String sessionId;
        private String operationId;
        private String pluginId;

        private Builder() {}

        /** Sets the correlation id. */
        public Builder correlationId(@Nullable String v) {
            this.correlationId = v;
            return this;
        }

        /** Sets the request id. */
        public Builder requestId(@Nullable String v) {
            this.requestId = v;
            return this;
        }

        /** Sets the parent request id. */
        public Builder parentRequestId(@Nullable String v) {
            this.parentRequestId = v;
            return this;
        }

        /** Sets the user id. */
        public Builder userId(@Nullable String v) {
            this.userId = v;
            return this;
        }

        /** Sets the session id. */
        public Builder sessionId(@Nullable String v) {
            this.sessionId = v;
            return this;
        }

        /** Sets the operation id. */
        public Builder operationId(@Nullable String v) {
            this.operationId = v;
            return this;
        }

        /** Sets the plugin id. */
        public Builder pluginId(@Nullable String v) {
            this.pluginId = v;
            return this;
        }

        /** Builds the immutable context. */
        public CorrelationContext build() {
            return new CorrelationContext(this);
        }
    }
}
