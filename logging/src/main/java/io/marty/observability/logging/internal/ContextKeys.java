package io.marty.observability.logging.internal;

/**
 * MDC keys of the correlation context, in the order they are written. They match core's {@code
 * MdcKeys}; core keeps the MDC in sync with the OpenTelemetry context.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class ContextKeys {
    public static final String CORRELATION_ID = "correlation_id";
    public static final String REQUEST_ID = "request_id";
    public static final String PARENT_REQUEST_ID = "parent_request_id";
    public static final String USER_ID = "user_id";
    public static final String SESSION_ID = "session_id";
    public static final String OPERATION_ID = "operation_id";
    public static final String PLUGIN_ID = "plugin_id";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    /** All context keys, written in this order. */
    public static final String[] ALL = {
        CORRELATION_ID, REQUEST_ID, PARENT_REQUEST_ID, USER_ID, SESSION_ID, OPERATION_ID, PLUGIN_ID, TRACE_ID, SPAN_ID
    };

    /** Keys that are ours; any other MDC entry is written to {@code fields}. */
    public static boolean isContextKey(String key) {
        for (String k : ALL) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    private ContextKeys() {}
}
