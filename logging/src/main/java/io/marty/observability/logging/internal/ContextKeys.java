package io.marty.observability.logging.internal;

import io.marty.observability.core.correlation.MdcKeys;

/**
 * Core's {@link MdcKeys} as an array, in the order the encoder writes them. Core keeps the MDC in
 * sync with the OpenTelemetry context.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class ContextKeys {
    /** All context keys, written in this order. */
    public static final String[] ALL = MdcKeys.ALL.toArray(new String[0]);

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
