package io.marty.observability.core.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TraceState} that holds every key the Level 2 grammar allows. OpenTelemetry's own
 * builder still applies the Level 1 {@code tenant@system} rule and silently drops keys such as
 * {@code foo@}, {@code foo@@bar} or a 256-character {@code t…t@v…v}, so parsed lists are kept here
 * instead. Entries are in header order; at most one entry per key; immutable.
 */
final class W3cTraceState implements TraceState {
    private final String[] keys;
    private final String[] values;

    private W3cTraceState(List<String> keys, List<String> values) {
        this.keys = keys.toArray(new String[0]);
        this.values = values.toArray(new String[0]);
    }

    /** The state of these entries (header order, keys unique), or the empty default state. */
    static TraceState of(List<String> keys, List<String> values) {
        return keys.isEmpty() ? TraceState.getDefault() : new W3cTraceState(keys, values);
    }

    @Override
    public @Nullable String get(String key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean isEmpty() {
        return keys.length == 0;
    }

    @Override
    public void forEach(BiConsumer<String, String> consumer) {
        for (int i = 0; i < keys.length; i++) {
            consumer.accept(keys[i], values[i]);
        }
    }

    @Override
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        forEach(map::put);
        return Collections.unmodifiableMap(map);
    }

    @Override
    public TraceStateBuilder toBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TraceState)) {
            return false;
        }
        TraceState other = (TraceState) o;
        return other.size() == size() && other.asMap().equals(asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    @Override
    public String toString() {
        return "W3cTraceState{" + TraceContextCodec.formatTracestate(this) + "}";
    }

    /**
     * Builder with OpenTelemetry's semantics (a put moves the key to the front, invalid entries and
     * puts beyond 32 entries are ignored) and the Level 2 key grammar.
     */
    private static final class Builder implements TraceStateBuilder {
        private final List<String> keys;
        private final List<String> values;

        Builder(W3cTraceState from) {
            keys = new ArrayList<>(List.of(from.keys));
            values = new ArrayList<>(List.of(from.values));
        }

        @Override
        public TraceStateBuilder put(String key, String value) {
            if (key == null
                    || value == null
                    || !TraceContextCodec.isValidKey(key, 0, key.length())
                    || !TraceContextCodec.isValidValue(value, 0, value.length())) {
                return this;
            }
            remove(key);
            if (keys.size() < TraceContextCodec.MAX_TRACESTATE_MEMBERS) {
                keys.add(0, key);
                values.add(0, value);
            }
            return this;
        }

        @Override
        public TraceStateBuilder remove(String key) {
            int at = keys.indexOf(key);
            if (at >= 0) {
                keys.remove(at);
                values.remove(at);
            }
            return this;
        }

        @Override
        public TraceState build() {
            return of(keys, values);
        }
    }
}
