package io.marty.observability.slo.internal;

/** Minimal JSON writer for reports (no runtime JSON dependency in this module). */
public final class Json {
    private final StringBuilder sb = new StringBuilder();
    private boolean needComma;

    public Json beginObject() {
        comma();
        sb.append('{');
        needComma = false;
        return this;
    }

    public Json endObject() {
        sb.append('}');
        needComma = true;
        return this;
    }

    public Json beginArray() {
        comma();
        sb.append('[');
        needComma = false;
        return this;
    }

    public Json endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    public Json name(String name) {
        comma();
        string(name);
        sb.append(':');
        needComma = false;
        return this;
    }

    public Json value(String v) {
        comma();
        if (v == null) {
            sb.append("null");
        } else {
            string(v);
        }
        needComma = true;
        return this;
    }

    /** Writes a number; NaN and infinities become {@code null} (JSON has no such numbers). */
    public Json value(double v) {
        comma();
        sb.append(Double.isFinite(v) ? Durations.num(v) : "null");
        needComma = true;
        return this;
    }

    public Json value(long v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    public Json value(boolean v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    public Json field(String name, String v) {
        return name(name).value(v);
    }

    public Json field(String name, double v) {
        return name(name).value(v);
    }

    public Json field(String name, long v) {
        return name(name).value(v);
    }

    public Json field(String name, boolean v) {
        return name(name).value(v);
    }

    private void comma() {
        if (needComma) {
            sb.append(',');
            needComma = false;
        }
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
