package io.marty.observability.core.alert;

import io.marty.observability.core.json.JsonWriter;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes the plain maps, lists, strings and numbers of alert bodies with {@link JsonWriter}. */
final class AlertJson {
    private AlertJson() {}

    static void write(JsonWriter w, @Nullable Object v) {
        if (v == null) {
            w.value((String) null);
        } else if (v instanceof Map<?, ?> m) {
            w.beginObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                w.name(String.valueOf(e.getKey()));
                write(w, e.getValue());
            }
            w.endObject();
        } else if (v instanceof Collection<?> c) {
            w.beginArray();
            for (Object o : c) {
                write(w, o);
            }
            w.endArray();
        } else if (v instanceof Boolean b) {
            w.value(b);
        } else if (v instanceof Long || v instanceof Integer) {
            w.value(((Number) v).longValue());
        } else if (v instanceof Number n) {
            w.value(n.doubleValue());
        } else {
            w.value(v.toString());
        }
    }
}
