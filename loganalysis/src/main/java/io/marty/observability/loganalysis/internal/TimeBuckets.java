package io.marty.observability.loganalysis.internal;

/**
 * Unstable internal API. A ring of fixed-width time buckets holding sums, for sliding-window counts
 * and baselines in O(1) memory per key. Events older than the ring are ignored; time going backwards
 * by less than the ring adds to the right older bucket.
 */
public final class TimeBuckets {
    private final long widthMillis;
    private final double[] sums;
    /** Absolute bucket index (epoch / width) of the newest bucket, or Long.MIN_VALUE when empty. */
    private long head = Long.MIN_VALUE;

    private long firstBucket = Long.MIN_VALUE;

    public TimeBuckets(long widthMillis, int buckets) {
        if (widthMillis <= 0 || buckets < 1) {
            throw new IllegalArgumentException("bucket width and count must be positive");
        }
        this.widthMillis = widthMillis;
        this.sums = new double[buckets];
    }

    public long widthMillis() {
        return widthMillis;
    }

    /** Moves the head to the bucket of {@code nowMillis}, clearing buckets that fell out. */
    public void advance(long nowMillis) {
        long idx = Math.floorDiv(nowMillis, widthMillis);
        if (head == Long.MIN_VALUE) {
            head = idx;
            firstBucket = idx;
            return;
        }
        if (idx <= head) {
            return;
        }
        long steps = Math.min(idx - head, sums.length);
        for (long s = 1; s <= steps; s++) {
            sums[(int) Math.floorMod(head + s, (long) sums.length)] = 0;
        }
        head = idx;
    }

    /** Adds {@code value} at {@code atMillis} (advancing first). */
    public void add(long atMillis, double value) {
        advance(atMillis);
        long idx = Math.floorDiv(atMillis, widthMillis);
        if (idx <= head - sums.length) {
            return; // older than the ring
        }
        sums[(int) Math.floorMod(idx, (long) sums.length)] += value;
    }

    /**
     * Sum of the {@code count} buckets ending {@code skip} buckets before the head (skip 0 = include the
     * head bucket, which may be partial).
     */
    public double sum(int skip, int count) {
        if (head == Long.MIN_VALUE) {
            return 0;
        }
        double total = 0;
        for (int i = skip; i < skip + count && i < sums.length; i++) {
            total += sums[(int) Math.floorMod(head - i, (long) sums.length)];
        }
        return total;
    }

    /** Number of whole buckets observed before the head bucket (how much history exists). */
    public long completedBuckets() {
        return head == Long.MIN_VALUE ? 0 : head - firstBucket;
    }
}
