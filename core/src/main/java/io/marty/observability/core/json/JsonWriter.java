package io.marty.observability.core.json;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Streaming writer of compact JSON text into a {@link StringBuilder}, for reports and endpoint
 * bodies of modules that have no JSON library. The caller keeps the nesting right; the writer adds
 * the commas and colons.
 *
 * <pre>{@code
 * String json = new JsonWriter()
 *         .beginObject()
 *         .field("status", "UP")
 *         .name("checks").beginArray().value("db").value("cache").endArray()
 *         .endObject()
 *         .toString();   // {"status":"UP","checks":["db","cache"]}
 * }</pre>
 *
 * <p>Strings: {@code "} and {@code \} are escaped, control characters are written as {@code \n \r
 * \t \b \f} or {@code \}{@code u00XX}, a lone surrogate (not valid UTF-16) as {@code \}{@code uXXXX};
 * everything else, including characters outside the Basic Multilingual Plane, is written as is.
 * Numbers: whole doubles are written without a fraction ({@code 30}), others as the shortest plain
 * decimal ({@code 0.999}); NaN and infinities become {@code null} (JSON has no such numbers).
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder sb;
    private boolean needComma;

    /** A writer with an empty buffer. */
    public JsonWriter() {
        this(new StringBuilder(128));
    }

    /** A writer appending to {@code out}. */
    public JsonWriter(StringBuilder out) {
        this.sb = out;
    }

    /** Opens an object: {@code {}. */
    public JsonWriter beginObject() {
        comma();
        sb.append('{');
        return this;
    }

    /** Closes the current object. */
    public JsonWriter endObject() {
        sb.append('}');
        needComma = true;
        return this;
    }

    /** Opens an array: {@code [}. */
    public JsonWriter beginArray() {
        comma();
        sb.append('[');
        return this;
    }

    /** Closes the current array. */
    public JsonWriter endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    /** Writes a member name; the next call writes its value. */
    public JsonWriter name(String name) {
        comma();
        quote(sb, name);
        sb.append(':');
        return this;
    }

    /** Writes a string, or {@code null}. */
    public JsonWriter value(@Nullable String v) {
        comma();
        if (v == null) {
            sb.append("null");
        } else {
            quote(sb, v);
        }
        needComma = true;
        return this;
    }

    /** Writes a number; NaN and infinities become {@code null}. */
    public JsonWriter value(double v) {
        comma();
        number(sb, v);
        needComma = true;
        return this;
    }

    /** Writes an integer. */
    public JsonWriter value(long v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    /** Writes {@code true} or {@code false}. */
    public JsonWriter value(boolean v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    /** Writes a member with a string value (or {@code null}). */
    public JsonWriter field(String name, @Nullable String v) {
        return name(name).value(v);
    }

    /** Writes a member with a number value. */
    public JsonWriter field(String name, double v) {
        return name(name).value(v);
    }

    /** Writes a member with an integer value. */
    public JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    /** Writes a member with a boolean value. */
    public JsonWriter field(String name, boolean v) {
        return name(name).value(v);
    }

    /** The JSON written so far. */
    @Override
    public String toString() {
        return sb.toString();
    }

    private void comma() {
        if (needComma) {
            sb.append(',');
            needComma = false;
        }
    }

    /** {@code s} as a quoted, escaped JSON string literal; {@code s} must not be null. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        quote(out, s);
        return out.toString();
    }

    /** Appends {@code s} to {@code out} quoted and escaped; {@code s} must not be null. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        // unpaired: escaped so the text still encodes to valid UTF-8
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    private static void number(StringBuilder out, double v) {
        if (!Double.isFinite(v)) {
            out.append("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            String s = Double.toString(v);
            out.append(
                    s.indexOf('E') < 0
                            ? s
                            : new BigDecimal(s).stripTrailingZeros().toPlainString());
        }
    }
}
