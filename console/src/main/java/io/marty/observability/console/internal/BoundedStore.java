package io.marty.observability.console.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;

/**
 * A fixed-capacity ring of records in arrival order with secondary indexes, evicting the oldest
 * record when full. Each record gets a monotonically increasing sequence number, so "everything
 * after sequence N" (live tail) is a direct ring lookup.
 *
 * <p>Index keys come from extractor functions; an empty key is not indexed. Because eviction
 * always removes the globally oldest record, it is also the oldest entry of each index list, so
 * index maintenance is O(1) and the indexes never hold more entries than the ring.
 */
public final class BoundedStore<T> {
    private final Object[] ring;
    private final List<Function<T, String>> keyFns;
    private final List<Map<String, ArrayDeque<T>>> indexes;
    private final SeqAssigner<T> seqAssigner;
    private int head; // position of the oldest record
    private int size;
    private long nextSeq = 1;
    private long evicted;

    /** Gives a record its sequence number (records are immutable, so this returns a copy). */
    @FunctionalInterface
    public interface SeqAssigner<T> {
        T withSeq(T record, long seq);
    }

    public BoundedStore(int capacity, SeqAssigner<T> seqAssigner, List<Function<T, String>> keyFns) {
        if (capacity < 1) {
            throw new IllegalArgumentException("store capacity must be >= 1, got " + capacity);
        }
        this.ring = new Object[capacity];
        this.seqAssigner = seqAssigner;
        this.keyFns = List.copyOf(keyFns);
        this.indexes = new ArrayList<>();
        for (int i = 0; i < keyFns.size(); i++) {
            indexes.add(new HashMap<>());
        }
    }

    /** Adds records, returning the stored copies (with sequence numbers) in the same order. */
    public synchronized List<T> addAll(List<T> records) {
        List<T> stored = new ArrayList<>(records.size());
        for (T r : records) {
            T withSeq = seqAssigner.withSeq(r, nextSeq++);
            if (size == ring.length) {
                evictOldest();
            }
            ring[(head + size) % ring.length] = withSeq;
            size++;
            for (int i = 0; i < keyFns.size(); i++) {
                String key = keyFns.get(i).apply(withSeq);
                if (key != null && !key.isEmpty()) {
                    indexes.get(i).computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(withSeq);
                }
            }
            stored.add(withSeq);
        }
        return stored;
    }

    @SuppressWarnings("unchecked")
    private void evictOldest() {
        T old = (T) ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        evicted++;
        for (int i = 0; i < keyFns.size(); i++) {
            String key = keyFns.get(i).apply(old);
            if (key == null || key.isEmpty()) {
                continue;
            }
            Map<String, ArrayDeque<T>> index = indexes.get(i);
            ArrayDeque<T> list = index.get(key);
            if (list != null) {
                list.pollFirst();
                if (list.isEmpty()) {
                    index.remove(key);
                }
            }
        }
    }

    /** Records with the given key in index {@code indexNo}, oldest first. */
    public synchronized List<T> byKey(int indexNo, String key) {
        ArrayDeque<T> list = indexes.get(indexNo).get(key);
        return list == null ? new ArrayList<>() : new ArrayList<>(list);
    }

    /** Distinct keys currently held by index {@code indexNo}. */
    public synchronized List<String> keys(int indexNo) {
        return new ArrayList<>(indexes.get(indexNo).keySet());
    }

    /** Number of distinct keys in index {@code indexNo}. */
    public synchronized int keyCount(int indexNo) {
        return indexes.get(indexNo).size();
    }

    /** Up to {@code limit} records matching {@code filter}, newest first. */
    public synchronized List<T> newest(Predicate<T> filter, int limit) {
        List<T> out = new ArrayList<>(Math.min(limit, size));
        for (int i = size - 1; i >= 0 && out.size() < limit; i--) {
            T r = get(i);
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Up to {@code limit} matching records with sequence number greater than {@code seq}, oldest first. */
    public synchronized List<T> after(long seq, Predicate<T> filter, int limit) {
        long firstSeq = nextSeq - size;
        int start = (int) Math.max(0, Math.min(size, seq + 1 - firstSeq));
        List<T> out = new ArrayList<>();
        for (int i = start; i < size && out.size() < limit; i++) {
            T r = get(i);
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Visits every record, oldest first, with its position; used for aggregations. */
    public synchronized void forEach(ObjLongConsumer<T> visitor) {
        for (int i = 0; i < size; i++) {
            visitor.accept(get(i), i);
        }
    }

    @SuppressWarnings("unchecked")
    private T get(int i) {
        return (T) ring[(head + i) % ring.length];
    }

    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return ring.length;
    }

    public synchronized long evicted() {
        return evicted;
    }

    /** Sequence number of the newest record (0 when empty and never written). */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }
}
