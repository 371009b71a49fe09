package io.marty.observability.slo.internal;

import io.marty.observability.core.health.JsonStrings;

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
        JsonStrings.quote(sb, name);
        sb.append(':');
        needComma = false;
        return this;
    }

    public Json value(String v) {
        comma();
        if (v == null) {
            sb.append("null");
        } else {
            JsonStrings.quote(sb, v);
        }
        needComma = true;
        return this;
    }

    /** Writes a number; NaN and infinities become {@code null} (JSON has no such numbers). */
    public Json value(double v) {
        comma();
        sb.append(Double.isFinite(v) ? Decimals.num(v) : "null");
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

    @Override
    public String toString() {
        return sb.toString();
    }
}
