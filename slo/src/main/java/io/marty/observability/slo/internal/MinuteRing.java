package io.marty.observability.slo.internal;

/**
 * Good/total event counts in one-minute buckets over a fixed number of minutes (bounded memory: three
 * longs per minute, about 1 MB for 31 days). Old minutes are overwritten in place. Thread-safe; the lock
 * is held only for a few array operations.
 */
public final class MinuteRing {
    private final int size;
    private final long[] minute;
    private final long[] total;
    private final long[] bad;
    private long latestMinute = Long.MIN_VALUE;
    private long late;
    private long cumulativeTotal;
    private long cumulativeBad;

    public MinuteRing(int minutes) {
        if (minutes < 2) {
            throw new IllegalArgumentException("ring needs at least 2 minutes, got " + minutes);
        }
        this.size = minutes;
        this.minute = new long[minutes];
        this.total = new long[minutes];
        this.bad = new long[minutes];
        java.util.Arrays.fill(minute, Long.MIN_VALUE);
    }

    public int size() {
        return size;
    }

    /** Adds events in {@code epochMinute}; events older than the ring are counted as late and dropped. */
    public synchronized void add(long epochMinute, long totalEvents, long badEvents) {
        if (latestMinute != Long.MIN_VALUE && epochMinute <= latestMinute - size) {
            late += totalEvents;
            return;
        }
        if (epochMinute > latestMinute) {
            latestMinute = epochMinute;
        }
        int i = (int) Math.floorMod(epochMinute, (long) size);
        if (minute[i] != epochMinute) {
            minute[i] = epochMinute;
            total[i] = 0;
            bad[i] = 0;
        }
        total[i] += totalEvents;
        bad[i] += badEvents;
        cumulativeTotal += totalEvents;
        cumulativeBad += badEvents;
    }

    /** All events ever added (not dropped), for counters. */
    public synchronized long cumulativeTotal() {
        return cumulativeTotal;
    }

    /** All bad events ever added (not dropped). */
    public synchronized long cumulativeBad() {
        return cumulativeBad;
    }

    /**
     * Sums the minutes {@code fromMinute..toMinute} (both inclusive) into {@code out[0]} (total) and
     * {@code out[1]} (bad). Minutes no longer held are skipped.
     */
    public synchronized void sum(long fromMinute, long toMinute, long[] out) {
        long t = 0;
        long b = 0;
        long from = Math.max(fromMinute, toMinute - size + 1);
        for (long m = from; m <= toMinute; m++) {
            int i = (int) Math.floorMod(m, (long) size);
            if (minute[i] == m) {
                t += total[i];
                b += bad[i];
            }
        }
        out[0] = t;
        out[1] = b;
    }

    /** Events dropped because they were older than the ring. */
    public synchronized long lateEvents() {
        return late;
    }
}
