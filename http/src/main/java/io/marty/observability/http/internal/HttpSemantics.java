package io.marty.observability.http.internal;

import io.opentelemetry.api.common.AttributeKey;
import java.util.Locale;

/** HTTP helpers shared by the server and client integrations. Internal: not a stable API. */
public final class HttpSemantics {

    /** Method label for methods outside the known set (keeps the label bounded, as semconv does). */
    public static final String OTHER_METHOD = "_OTHER";

    /** Span attributes for the correlation dimensions. */
    public static final AttributeKey<String> MMF_CORRELATION_ID = AttributeKey.stringKey("mmf.correlation_id");

    public static final AttributeKey<String> MMF_REQUEST_ID = AttributeKey.stringKey("mmf.request_id");
    public static final AttributeKey<String> MMF_PARENT_REQUEST_ID = AttributeKey.stringKey("mmf.parent_request_id");
    public static final AttributeKey<String> MMF_USER_ID = AttributeKey.stringKey("mmf.user_id");
    public static final AttributeKey<String> MMF_SESSION_ID = AttributeKey.stringKey("mmf.session_id");
    public static final AttributeKey<String> MMF_OPERATION_ID = AttributeKey.stringKey("mmf.operation_id");
    public static final AttributeKey<String> MMF_PLUGIN_ID = AttributeKey.stringKey("mmf.plugin_id");

    private HttpSemantics() {}

    /** The method as a bounded label: one of the nine standard methods, else {@value #OTHER_METHOD}. */
    public static String normalizeMethod(String method) {
        if (method == null) {
            return OTHER_METHOD;
        }
        switch (method) {
            case "GET":
            case "POST":
            case "PUT":
            case "DELETE":
            case "PATCH":
            case "HEAD":
            case "OPTIONS":
            case "CONNECT":
            case "TRACE":
                return method;
            default:
                String upper = method.toUpperCase(Locale.ROOT);
                return upper.equals(method) ? OTHER_METHOD : normalizeMethod(upper);
        }
    }
}
