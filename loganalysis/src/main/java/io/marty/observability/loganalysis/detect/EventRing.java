package io.marty.observability.loganalysis.detect;

/**
 * The last {@code n} event times of one key. "At least n events within the window" holds exactly
 * when the oldest of the last n is inside the window, so n longs per key answer it exactly.
 */
final class EventRing {
    private final long[] times;
    private int next;
    private long total;

    EventRing(int n) {
        this.times = new long[n];
    }

    void add(long t) {
        times[next] = t;
        next = (next + 1) % times.length;
        total++;
    }

    /** True when at least n events were seen and the n-th most recent is no older than the window. */
    boolean full(long now, long windowMillis) {
        return total >= times.length && now - oldest() < windowMillis;
    }

    /** Oldest of the last n event times. */
    long oldest() {
        return times[next];
    }

    /** Events among the last n that are inside the window. */
    int countWithin(long now, long windowMillis) {
        int c = 0;
        long seen = Math.min(total, times.length);
        for (int i = 0; i < seen; i++) {
            if (now - times[i] < windowMillis) {
                c++;
            }
        }
        return c;
    }
}
