package io.marty.observability.http.internal;

import java.util.function.Function;

/**
 * Remembers the value computed for the last key seen: for per-request lookups whose key almost
 * never changes (the service's {@code OpenTelemetry}, the client address behind a proxy). A
 * different key replaces the entry; racing threads may compute twice, never see a wrong value.
 * Internal: not a stable API.
 *
 * @param <K> key, compared with {@code equals}
 * @param <V> value
 */
public final class LastValueCache<K, V> {
    private volatile Entry<K, V> last;

    /** The value for {@code key}: the remembered one, or {@code compute}'s (then remembered). */
    public V get(K key, Function<? super K, ? extends V> compute) {
        Entry<K, V> entry = last;
        if (entry == null || !entry.key.equals(key)) {
            entry = new Entry<>(key, compute.apply(key));
            last = entry;
        }
        return entry.value;
    }

    private static final class Entry<K, V> {
        final K key;
        final V value;

        Entry(K key, V value) {
            this.key = key;
            this.value = value;
        }
    }
}
