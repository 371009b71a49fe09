package io.marty.observability.core.correlation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Names of the MMF correlation headers and the rules incoming values must satisfy. HTTP header
 * names are case-insensitive; gRPC metadata uses the lower-case forms ({@link #lowerCase(String)}).
 */
public final class MmfHeaders {
    /** Correlation id header. */
    public static final String CORRELATION_ID = "X-MMF-Correlation-ID";
    /** Request id header (the sender's request id; the receiver keeps it as parent). */
    public static final String REQUEST_ID = "X-MMF-Request-ID";
    /** User id header. */
    public static final String USER_ID = "X-MMF-User-ID";
    /** Session id header. */
    public static final String SESSION_ID = "X-MMF-Session-ID";
    /** Operation id header. */
    public static final String OPERATION_ID = "X-MMF-Operation-ID";
    /** Plugin id header. */
    public static final String PLUGIN_ID = "X-MMF-Plugin-ID";
    /** Legacy single correlation header, read (never written) when the MMF one is absent. */
    public static final String LEGACY_CORRELATION_ID = "X-Correlation-ID";

    /** The six MMF headers, in a stable order. */
    public static final List<String> ALL =
            List.of(CORRELATION_ID, REQUEST_ID, USER_ID, SESSION_ID, OPERATION_ID, PLUGIN_ID);

    /** Maximum accepted length of a header value. */
    public static final int MAX_VALUE_LENGTH = 128;

    private MmfHeaders() {}

    /**
     * Whether an incoming header value may be used as is: 1 to {@value #MAX_VALUE_LENGTH}
     * characters, all visible ASCII ({@code 0x21..0x7e}; so no spaces, CR or LF). Cheap: a single
     * pass, no regex.
     */
    public static boolean isValidValue(@Nullable String value) {
        if (value == null) {
            return false;
        }
        int n = value.length();
        if (n == 0 || n > MAX_VALUE_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** The lower-case form of a header name (as used in gRPC metadata and HTTP/2). */
    public static String lowerCase(String headerName) {
        return headerName.toLowerCase(java.util.Locale.ROOT);
    }
}
