package io.marty.observability.core.correlation;

import java.util.List;

/**
 * MDC keys that Marty keeps in sync with the current OTel {@code Context} (the MDC is a view, never
 * a source of truth: it is rewritten whenever a context is attached or a scope is closed). Absent
 * values are removed from the MDC rather than set to a placeholder.
 */
public final class MdcKeys {
    /** Correlation id of the whole business transaction. */
    public static final String CORRELATION_ID = "correlation_id";
    /** Id of the current request (new per hop). */
    public static final String REQUEST_ID = "request_id";
    /** Request id of the caller. */
    public static final String PARENT_REQUEST_ID = "parent_request_id";
    /** User id. */
    public static final String USER_ID = "user_id";
    /** Session id. */
    public static final String SESSION_ID = "session_id";
    /** Operation id. */
    public static final String OPERATION_ID = "operation_id";
    /** Plugin id. */
    public static final String PLUGIN_ID = "plugin_id";
    /** W3C trace id (32 lower-case hex) of the current span. */
    public static final String TRACE_ID = "trace_id";
    /** Span id (16 lower-case hex) of the current span. */
    public static final String SPAN_ID = "span_id";

    /** Every key above, in a stable order. */
    public static final List<String> ALL = List.of(
            CORRELATION_ID,
            REQUEST_ID,
            PARENT_REQUEST_ID,
            USER_ID,
            SESSION_ID,
            OPERATION_ID,
            PLUGIN_ID,
            TRACE_ID,
            SPAN_ID);

    private MdcKeys() {}
}
