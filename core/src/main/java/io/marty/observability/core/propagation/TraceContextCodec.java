package io.marty.observability.core.propagation;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Parses and formats W3C Trace Context Level 2 {@code traceparent} and {@code tracestate} values,
 * following the spec's processing rules literally. Hand-written scanners, no regex: this runs once
 * per request.
 *
 * <p>Use {@link #parseTraceparent(String)} and {@link #parseTracestate(String)} directly when a
 * non-{@code TextMapPropagator} carrier needs the same validation.
 */
public final class TraceContextCodec {

    /** Length of a version-00 {@code traceparent}: {@code 2+1+32+1+16+1+2}. */
    public static final int TRACEPARENT_LENGTH = 55;

    /** Maximum number of list members in a {@code tracestate} (spec section 3.3.1.1). */
    public static final int MAX_TRACESTATE_MEMBERS = 32;

    /** Maximum key length, {@code @} included (spec section 3.3.1.3.1). */
    public static final int MAX_KEY_LENGTH = 256;

    /** Maximum value length (spec section 3.3.1.3.2). */
    public static final int MAX_VALUE_LENGTH = 256;

    /** Flags this implementation understands: sampled (0x01) and, in Level 2, random (0x02). */
    static final int KNOWN_FLAGS_V00 = 0x03;

    static final int SAMPLED_FLAG = 0x01;

    // a tracestate longer than 32 maximal members plus separators cannot be valid: reject early
    private static final int MAX_TRACESTATE_CHARS =
            MAX_TRACESTATE_MEMBERS * (MAX_KEY_LENGTH + 1 + MAX_VALUE_LENGTH) + 31 * 64;

    private TraceContextCodec() {}

    /**
     * Parses one {@code traceparent} header value.
     *
     * <p>Rules: surrounding optional whitespace (space, tab) is ignored; version is two lowercase hex
     * digits and {@code ff} is invalid; version {@code 00} must be exactly 55 characters; a higher
     * version may carry more fields after a {@code '-'} at position 55; trace id and parent id are
     * lowercase hex and not all zeros; flags are two lowercase hex digits, of which only the known
     * bits are kept (sampled, and random for version 00).
     *
     * @return the remote span context with an empty trace state, or {@code null} if the value is
     *     not valid (the caller then starts a new trace)
     */
    public static @Nullable SpanContext parseTraceparent(@Nullable String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        int length = end - start;
        if (length < TRACEPARENT_LENGTH) {
            return null;
        }
        int version = hexByte(value, start);
        if (version < 0 || version == 0xff) {
            return null;
        }
        if (version == 0 && length != TRACEPARENT_LENGTH) {
            return null;
        }
        if (length > TRACEPARENT_LENGTH && value.charAt(start + TRACEPARENT_LENGTH) != '-') {
            return null;
        }
        if (value.charAt(start + 2) != '-' || value.charAt(start + 35) != '-' || value.charAt(start + 52) != '-') {
            return null;
        }
        if (!isLowerHex(value, start + 3, start + 35) || isAllZero(value, start + 3, start + 35)) {
            return null;
        }
        if (!isLowerHex(value, start + 36, start + 52) || isAllZero(value, start + 36, start + 52)) {
            return null;
        }
        int flags = hexByte(value, start + 53);
        if (flags < 0) {
            return null;
        }
        // unknown bits are ignored and zeroed when propagated; a future version's flags are only
        // trusted for the sampled bit, as the spec asks
        int kept = flags & (version == 0 ? KNOWN_FLAGS_V00 : SAMPLED_FLAG);
        return SpanContext.createFromRemoteParent(
                value.substring(start + 3, start + 35),
                value.substring(start + 36, start + 52),
                TraceFlags.fromByte((byte) kept),
                TraceState.getDefault());
    }

    /**
     * Formats the version-00 {@code traceparent} of a valid span context; unknown flag bits are
     * zeroed.
     */
    public static String formatTraceparent(SpanContext spanContext) {
        int flags = spanContext.getTraceFlags().asByte() & KNOWN_FLAGS_V00;
        StringBuilder out = new StringBuilder(TRACEPARENT_LENGTH);
        out.append("00-")
                .append(spanContext.getTraceId())
                .append('-')
                .append(spanContext.getSpanId())
                .append('-')
                .append(Character.forDigit(flags >> 4, 16))
                .append(Character.forDigit(flags & 0xf, 16));
        return out.toString();
    }

    /**
     * Parses a {@code tracestate} value (several header lines joined by {@code ','} form one list).
     *
     * <p>Rules: list members are separated by {@code ','} with optional whitespace around them;
     * empty members are allowed and skipped; each member is {@code key=value} with the Level 2 key
     * grammar (a lowercase letter or digit, then up to 255 of {@code a-z 0-9 _ - * / @}, so
     * {@code @} may appear anywhere after the first character, any number of times) and the value
     * grammar (1 to 256 printable ASCII characters other than {@code ','} and {@code '='}, not
     * ending in a space); a bad member or more than 32 members make the whole list invalid. A
     * repeated key does not: its first (leftmost, most recent) entry is kept and later ones are
     * dropped, because a trace state holds one value per key.
     *
     * <pre>{@code
     * TraceState state = TraceContextCodec.parseTracestate("congo=t61rcWkgMzE,rojo@x=1,congo=2");
     * // congo=t61rcWkgMzE,rojo@x=1
     * }</pre>
     *
     * @return the parsed trace state in header order (empty for an empty list), or {@code null} if
     *     the list is invalid and must be discarded
     */
    public static @Nullable TraceState parseTracestate(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return TraceState.getDefault();
        }
        if (value.length() > MAX_TRACESTATE_CHARS) {
            return null;
        }
        List<String> keys = new ArrayList<>(8);
        List<String> values = new ArrayList<>(8);
        int members = 0;
        int length = value.length();
        int memberStart = 0;
        while (memberStart <= length) {
            int comma = value.indexOf(',', memberStart);
            int memberEnd = comma < 0 ? length : comma;
            int from = memberStart;
            int to = memberEnd;
            while (from < to && isOws(value.charAt(from))) {
                from++;
            }
            while (to > from && isOws(value.charAt(to - 1))) {
                to--;
            }
            if (from < to) {
                int eq = value.indexOf('=', from);
                if (eq < 0 || eq >= to) {
                    return null;
                }
                if (!isValidKey(value, from, eq) || !isValidValue(value, eq + 1, to)) {
                    return null;
                }
                if (++members > MAX_TRACESTATE_MEMBERS) {
                    return null;
                }
                String key = value.substring(from, eq);
                if (!keys.contains(key)) {
                    keys.add(key);
                    values.add(value.substring(eq + 1, to));
                }
            }
            if (comma < 0) {
                break;
            }
            memberStart = comma + 1;
        }
        return W3cTraceState.of(keys, values);
    }

    /** Formats a trace state as a {@code tracestate} header value; empty string for an empty state. */
    public static String formatTracestate(TraceState traceState) {
        if (traceState.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(64);
        BiConsumer<String, String> append = (key, val) -> {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(key).append('=').append(val);
        };
        traceState.forEach(append);
        return out.toString();
    }

    /** Whether {@code s[from, to)} is a valid tracestate key (Level 2 grammar). */
    static boolean isValidKey(String s, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > MAX_KEY_LENGTH) {
            return false;
        }
        char first = s.charAt(from);
        if (!isLcAlpha(first) && !isDigit(first)) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!isKeyChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s[from, to)} is a valid tracestate value. */
    static boolean isValidValue(String s, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > MAX_VALUE_LENGTH) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return false;
            }
        }
        return s.charAt(to - 1) != ' ';
    }

    private static boolean isKeyChar(char c) {
        return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/' || c == '@';
    }

    private static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1; // uppercase hex is invalid in trace context
    }

    private static int hexByte(String s, int at) {
        int hi = hexDigit(s.charAt(at));
        int lo = hexDigit(s.charAt(at + 1));
        return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (hexDigit(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
