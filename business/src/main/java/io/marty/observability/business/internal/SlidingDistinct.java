package io.marty.observability.business.internal;

/**
 * Distinct items seen over a sliding window, as a ring of {@code slots} HyperLogLog sketches each
 * covering {@code window / slots}; the estimate merges the slots still inside the window, so the
 * window slides in steps of one slot. Memory: {@code slots} sketches, whatever the traffic. Not
 * thread-safe.
 */
public final class SlidingDistinct {
    private final long slotMillis;
    private final HyperLogLog[] ring;
    private final long[] slotStart;
    private final int precision;

    public SlidingDistinct(long windowMillis, int slots, int precision) {
        this.slotMillis = Math.max(1, windowMillis / slots);
        this.ring = new HyperLogLog[slots];
        this.slotStart = new long[slots];
        this.precision = precision;
        for (int i = 0; i < slots; i++) {
            ring[i] = new HyperLogLog(precision);
            slotStart[i] = Long.MIN_VALUE;
        }
    }

    public void add(String item, long nowMillis) {
        long start = Math.floorDiv(nowMillis, slotMillis) * slotMillis;
        int i = (int) Math.floorMod(Math.floorDiv(nowMillis, slotMillis), (long) ring.length);
        if (slotStart[i] != start) {
            ring[i].clear();
            slotStart[i] = start;
        }
        ring[i].add(item);
    }

    public long estimate(long nowMillis) {
        long current = Math.floorDiv(nowMillis, slotMillis) * slotMillis;
        long oldest = current - (ring.length - 1) * slotMillis;
        HyperLogLog merged = new HyperLogLog(precision);
        for (int i = 0; i < ring.length; i++) {
            if (slotStart[i] >= oldest && slotStart[i] <= current) {
                merged.merge(ring[i]);
            }
        }
        return merged.estimate();
    }
}
