package io.marty.observability.console.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A ring of records in arrival order with secondary indexes, bounded both by a record count and by
 * an estimate of the records' bytes, evicting the oldest record when either bound would be passed.
 * Each record gets a monotonically increasing sequence number, so "everything after sequence N"
 * (live tail) is a direct ring lookup.
 *
 * <p>Index keys come from extractor functions, computed once per record on insert (eviction reuses
 * them); an empty key is not indexed. Because eviction always removes the globally oldest record,
 * it is also the oldest entry of each index list, so index maintenance is O(1) and the indexes
 * never hold more entries than the ring.
 */
public final class BoundedStore<T> {
    private final Object[] ring;
    private final String[][] ringKeys; // index keys of each record, the index's own key instances
    private final long[] ringBytes;
    private final List<Function<T, String>> keyFns;
    private final List<Map<String, Bucket<T>>> indexes;
    private final SeqAssigner<T> seqAssigner;
    private final ToLongFunction<T> sizer;
    private final long maxBytes;
    private int head; // position of the oldest record
    private int size;
    private long bytes;
    private long nextSeq = 1;
    private long evicted;

    /** The records of one index key; holds the key so records can share one instance of it. */
    private record Bucket<T>(String key, ArrayDeque<T> records) {}

    /** Gives a record its sequence number (records are immutable, so this returns a copy). */
    @FunctionalInterface
    public interface SeqAssigner<T> {
        T withSeq(T record, long seq);
    }

    /**
     * @param capacity most records held
     * @param maxBytes most estimated bytes held ({@code sizer} estimates one record)
     */
    public BoundedStore(
            int capacity,
            long maxBytes,
            ToLongFunction<T> sizer,
            SeqAssigner<T> seqAssigner,
            List<Function<T, String>> keyFns) {
        if (capacity < 1) {
            throw new IllegalArgumentException("store capacity must be >= 1, got " + capacity);
        }
        this.ring = new Object[capacity];
        this.ringKeys = new String[capacity][];
        this.ringBytes = new long[capacity];
        this.maxBytes = maxBytes;
        this.sizer = sizer;
        this.seqAssigner = seqAssigner;
        this.keyFns = List.copyOf(keyFns);
        this.indexes = new ArrayList<>();
        for (int i = 0; i < keyFns.size(); i++) {
            indexes.add(new HashMap<>());
        }
    }

    /** Adds records, returning the stored copies (with sequence numbers) in the same order. */
    public List<T> addAll(List<T> records) {
        return addAll(records, keyFns);
    }

    /**
     * Adds records with index keys from {@code requestKeyFns} (one per index, in index order) instead of
     * the store's own extractors, so a caller can share key work across the records of one batch.
     */
    public synchronized List<T> addAll(List<T> records, List<Function<T, String>> requestKeyFns) {
        if (requestKeyFns.size() != indexes.size()) {
            throw new IllegalArgumentException(
                    "expected " + indexes.size() + " key functions, got " + requestKeyFns.size());
        }
        List<T> stored = new ArrayList<>(records.size());
        for (T r : records) {
            T withSeq = seqAssigner.withSeq(r, nextSeq++);
            long recordBytes = sizer.applyAsLong(withSeq);
            while (size == ring.length || (size > 0 && bytes + recordBytes > maxBytes)) {
                evictOldest();
            }
            int slot = (head + size) % ring.length;
            String[] keys = new String[keyFns.size()];
            for (int i = 0; i < keys.length; i++) {
                String key = requestKeyFns.get(i).apply(withSeq);
                if (key != null && !key.isEmpty()) {
                    Bucket<T> bucket = indexes.get(i).computeIfAbsent(key, k -> new Bucket<>(k, new ArrayDeque<>()));
                    bucket.records().addLast(withSeq);
                    keys[i] = bucket.key();
                }
            }
            ring[slot] = withSeq;
            ringKeys[slot] = keys;
            ringBytes[slot] = recordBytes;
            bytes += recordBytes;
            size++;
            stored.add(withSeq);
        }
        return stored;
    }

    @SuppressWarnings("unchecked")
    private void evictOldest() {
        String[] keys = ringKeys[head];
        bytes -= ringBytes[head];
        ring[head] = null;
        ringKeys[head] = null;
        head = (head + 1) % ring.length;
        size--;
        evicted++;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            Map<String, Bucket<T>> index = indexes.get(i);
            Bucket<T> bucket = index.get(keys[i]);
            if (bucket != null) {
                bucket.records().pollFirst();
                if (bucket.records().isEmpty()) {
                    index.remove(keys[i]);
                }
            }
        }
    }

    /** Records with the given key in index {@code indexNo}, oldest first. */
    public synchronized List<T> byKey(int indexNo, String key) {
        Bucket<T> bucket = indexes.get(indexNo).get(key);
        return bucket == null ? new ArrayList<>() : new ArrayList<>(bucket.records());
    }

    /**
     * The first record with the given key in index {@code indexNo} (oldest first) that matches, looking
     * at no more than {@code maxScan} records; null when none. Copies nothing.
     */
    public synchronized T findByKey(int indexNo, String key, Predicate<T> filter, int maxScan) {
        Bucket<T> bucket = indexes.get(indexNo).get(key);
        if (bucket == null) {
            return null;
        }
        int scanned = 0;
        for (T r : bucket.records()) {
            if (scanned++ >= maxScan) {
                break;
            }
            if (filter.test(r)) {
                return r;
            }
        }
        return null;
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

    /** Estimated bytes of the records held. */
    public synchronized long bytes() {
        return bytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public synchronized long evicted() {
        return evicted;
    }

    /** Sequence number of the newest record (0 when empty and never written). */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }
}
