package io.marty.observability.logging.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growable UTF-8 byte buffer with JSON string escaping, written straight from {@code char}s so that
 * encoding an event allocates nothing but the final copy. Not thread-safe: one instance per thread.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Escape bytes for chars below 0x20, quote and backslash: 0 = copy, 'u' = \\u00XX, else \\X. */
    private static final byte[] ESCAPE = new byte[128];

    private static final int REPLACEMENT_CHAR = 0xFFFD;
    /** A buffer grown past this is dropped after the event so one huge line does not pin memory. */
    private static final int RETAIN_LIMIT = 64 * 1024;

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
    }

    private static final int CHUNK = 512;

    private final char[] scratch = new char[CHUNK + 1];
    private final int initialCapacity;
    private byte[] buf;
    private int pos;

    public JsonWriter(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.buf = new byte[initialCapacity];
    }

    /** Clears the content; shrinks the buffer if a previous event made it very large. */
    public void reset() {
        if (buf.length > RETAIN_LIMIT) {
            buf = new byte[initialCapacity];
        }
        pos = 0;
    }

    public int size() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, pos);
    }

    /** Drops everything after the first {@code size} bytes. */
    public void truncate(int size) {
        if (size >= 0 && size <= pos) {
            pos = size;
        }
    }

    /** Last written byte, or -1 when empty. */
    public int lastByte() {
        return pos == 0 ? -1 : buf[pos - 1];
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    public JsonWriter raw(byte b) {
        ensure(1);
        buf[pos++] = b;
        return this;
    }

    public JsonWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /** Writes {@code "name":} with the name already known to need no escaping. */
    public JsonWriter rawAscii(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** Writes {@code ,} unless the previous byte opens an object or array. */
    public JsonWriter comma() {
        int last = lastByte();
        if (last != '{' && last != '[' && last != -1) {
            raw((byte) ',');
        }
        return this;
    }

    /** Writes {@code ,"key":} with the key escaped. */
    public JsonWriter name(String key) {
        comma();
        string(key);
        return raw((byte) ':');
    }

    /** A quoted, escaped JSON string; {@code null} becomes JSON null. */
    public JsonWriter string(CharSequence s) {
        if (s == null) {
            return rawAscii("null");
        }
        raw((byte) '"');
        chars(s, 0, s.length());
        return raw((byte) '"');
    }

    /**
     * Writes a quoted string cut to {@code maxChars}; a cut string ends with {@code
     * …[truncated N chars]} naming how many chars were left out. A surrogate pair is never split.
     */
    public JsonWriter string(CharSequence s, int maxChars) {
        if (s == null) {
            return rawAscii("null");
        }
        int len = s.length();
        if (len <= maxChars) {
            return string(s);
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        raw((byte) '"');
        chars(s, 0, end);
        rawAscii("...[truncated ");
        number(len - end);
        rawAscii(" chars]");
        return raw((byte) '"');
    }

    /** Escaped chars of {@code s[from, to)} without quotes. */
    public JsonWriter chars(CharSequence s, int from, int to) {
        if (s instanceof String) {
            // bulk-copy chunks into a char[]: avoids String.charAt's coder check and bounds check
            String str = (String) s;
            for (int i = from; i < to; ) {
                int end = Math.min(to, i + CHUNK);
                // keep a surrogate pair within one chunk
                if (end < to && Character.isHighSurrogate(str.charAt(end - 1))) {
                    end--;
                    if (end == i) {
                        end = i + 2;
                    }
                }
                str.getChars(i, end, scratch, 0);
                escape(scratch, 0, end - i);
                i = end;
            }
            return this;
        }
        for (int i = from; i < to; ) {
            int end = Math.min(to, i + CHUNK);
            if (end < to && Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
                if (end == i) {
                    end = i + 2;
                }
            }
            for (int k = i; k < end; k++) {
                scratch[k - i] = s.charAt(k);
            }
            escape(scratch, 0, end - i);
            i = end;
        }
        return this;
    }

    private void escape(char[] cs, int from, int to) {
        // worst case 6 bytes per char (a \\u00XX escape)
        ensure((to - from) * 6 + 6);
        byte[] b = buf;
        int p = pos;
        for (int i = from; i < to; i++) {
            char c = cs[i];
            if (c < 0x80) {
                byte e = ESCAPE[c];
                if (e == 0) {
                    b[p++] = (byte) c;
                } else if (e == 'u') {
                    b[p++] = '\\';
                    b[p++] = 'u';
                    b[p++] = '0';
                    b[p++] = '0';
                    b[p++] = HEX[c >> 4];
                    b[p++] = HEX[c & 0xF];
                } else {
                    b[p++] = '\\';
                    b[p++] = e;
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                int cp = REPLACEMENT_CHAR;
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(cs[i + 1])) {
                    cp = Character.toCodePoint(c, cs[++i]);
                }
                // lone surrogates cannot be encoded in UTF-8: replace with U+FFFD
                p = codePoint(b, p, cp);
            } else if (c == 0x2028 || c == 0x2029) {
                // valid JSON, but escaped so the line stays safe for JavaScript consumers
                b[p++] = '\\';
                b[p++] = 'u';
                b[p++] = '2';
                b[p++] = '0';
                b[p++] = '2';
                b[p++] = c == 0x2028 ? (byte) '8' : (byte) '9';
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        pos = p;
    }

    private static int codePoint(byte[] b, int p, int cp) {
        if (cp < 0x10000) {
            b[p++] = (byte) (0xE0 | (cp >> 12));
            b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            b[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            b[p++] = (byte) (0xF0 | (cp >> 18));
            b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            b[p++] = (byte) (0x80 | (cp & 0x3F));
        }
        return p;
    }

    /** Writes a long in decimal without allocating. */
    public JsonWriter number(long v) {
        if (v == Long.MIN_VALUE) {
            return rawAscii("-9223372036854775808");
        }
        ensure(20);
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int start = pos;
        do {
            buf[pos++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        // digits were written in reverse
        for (int i = start, j = pos - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** Writes a double; NaN and infinities are not JSON numbers and are written as strings. */
    public JsonWriter number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return string(Double.toString(v));
        }
        if (v == (long) v && Math.abs(v) < 1e15) {
            number((long) v);
            return rawAscii(".0");
        }
        return rawAscii(Double.toString(v));
    }

    /** Writes {@code n} as exactly {@code digits} zero-padded decimal digits. */
    public JsonWriter padded(int n, int digits) {
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            buf[pos + i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        pos += digits;
        return this;
    }
}
