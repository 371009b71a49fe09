package io.marty.observability.core.tracing;

import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * Span attribute keys of the correlation dimensions ({@code mmf.correlation_id}, ...). Every span
 * started while Marty runs gets them from the parent context's {@link CorrelationContext}.
 */
public final class CorrelationAttributes {
    /** {@code mmf.correlation_id}. */
    public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("mmf.correlation_id");
    /** {@code mmf.request_id}. */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("mmf.request_id");
    /** {@code mmf.parent_request_id}. */
    public static final AttributeKey<String> PARENT_REQUEST_ID = AttributeKey.stringKey("mmf.parent_request_id");
    /** {@code mmf.user_id}. */
    public static final AttributeKey<String> USER_ID = AttributeKey.stringKey("mmf.user_id");
    /** {@code mmf.session_id}. */
    public static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("mmf.session_id");
    /** {@code mmf.operation_id}. */
    public static final AttributeKey<String> OPERATION_ID = AttributeKey.stringKey("mmf.operation_id");
    /** {@code mmf.plugin_id}. */
    public static final AttributeKey<String> PLUGIN_ID = AttributeKey.stringKey("mmf.plugin_id");

    private CorrelationAttributes() {}

    /** Sets the attributes of every dimension of {@code correlation} that is present. */
    public static void apply(Span span, CorrelationContext correlation) {
        set(span, CORRELATION_ID, correlation.correlationId());
        set(span, REQUEST_ID, correlation.requestId());
        set(span, PARENT_REQUEST_ID, correlation.parentRequestId());
        set(span, USER_ID, correlation.userId());
        set(span, SESSION_ID, correlation.sessionId());
        set(span, OPERATION_ID, correlation.operationId());
        set(span, PLUGIN_ID, correlation.pluginId());
    }

    private static void set(Span span, AttributeKey<String> key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }
}
