package io.marty.observability.http.internal;

import java.util.Locale;

/** HTTP helpers shared by the server and client integrations. Internal: not a stable API. */
public final class HttpSemantics {

    /** Method label for methods outside the known set (keeps the label bounded, as semconv does). */
    public static final String OTHER_METHOD = "_OTHER";

    // "100".."599" as label values without a toString per request
    private static final String[] STATUS_TEXT = new String[600];

    static {
        for (int i = 100; i < STATUS_TEXT.length; i++) {
            STATUS_TEXT[i] = Integer.toString(i);
        }
    }

    private HttpSemantics() {}

    /** The status code as a label value. */
    public static String statusText(int status) {
        return status >= 100 && status < STATUS_TEXT.length ? STATUS_TEXT[status] : Integer.toString(status);
    }

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
