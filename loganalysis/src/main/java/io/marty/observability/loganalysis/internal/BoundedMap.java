package io.marty.observability.loganalysis.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Unstable internal API. A map holding at most {@code maxKeys} entries; the least recently used one
 * is evicted (and counted) to make room, so a flood of new keys cannot exhaust memory while recent
 * attackers/services are still tracked. Not thread-safe.
 */
public final class BoundedMap<K, V> {
    private final int maxKeys;
    private final LinkedHashMap<K, V> map;
    private long evictions;

    public BoundedMap(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("max_keys must be >= 1, got " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.map = new LinkedHashMap<>(Math.min(maxKeys, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() > BoundedMap.this.maxKeys) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    public V get(K key) {
        return map.get(key);
    }

    public V computeIfAbsent(K key, Function<? super K, ? extends V> f) {
        return map.computeIfAbsent(key, f);
    }

    public void put(K key, V value) {
        map.put(key, value);
    }

    public boolean containsKey(K key) {
        return map.containsKey(key);
    }

    public V remove(K key) {
        return map.remove(key);
    }

    public int size() {
        return map.size();
    }

    public long evictions() {
        return evictions;
    }

    /** Live view for iteration (iteration does not change the LRU order). */
    public Map<K, V> view() {
        return map;
    }
}
