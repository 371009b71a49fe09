package io.marty.observability.console.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-aggregated chart data: per key (a service route, a service-map edge) the number of calls, the
 * errors and a log-scale latency histogram in 10-second slots over the last hour, plus the most
 * recent trace ids. Charts read these slots instead of scanning the span store.
 *
 * <p>Bounded: at most {@code maxKeys} keys (a new key first displaces keys without a call in the
 * last hour, otherwise it is counted in {@code droppedKeys} and not charted), {@link #SLOTS} slots
 * per key, {@link #BUCKETS} histogram counters per used slot and {@link #RECENT_TRACES} trace ids per
 * key. Calls whose start lies outside the last hour (or over a minute ahead) are not charted.
 */
final class TimeRollup {
    static final long SLOT_NANOS = 10_000_000_000L;
    static final int SLOTS = 360;
    static final int BUCKETS = 48;
    static final int RECENT_TRACES = 20;
    /** Bucket 0 holds durations below this; bucket i ≥ 1 holds [BASE·F^(i-1), BASE·F^i). */
    private static final double BASE_MS = 0.05;

    private static final double FACTOR = 1.35;
    private static final double LOG_FACTOR = Math.log(FACTOR);
    private static final long FUTURE_SLOTS = 6;

    private final int maxKeys;
    private final Map<String, Series> series = new HashMap<>();
    private long droppedKeys;

    private static final class Series {
        final long[] slotNo = new long[SLOTS];
        final int[] calls = new int[SLOTS];
        final int[] errors = new int[SLOTS];
        final int[][] hist = new int[SLOTS][];
        final ArrayDeque<String> recentTraces = new ArrayDeque<>();
        long lastSlot = Long.MIN_VALUE;

        Series() {
            Arrays.fill(slotNo, Long.MIN_VALUE);
        }
    }

    TimeRollup(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    static long slotOf(long epochNanos) {
        return Math.floorDiv(epochNanos, SLOT_NANOS);
    }

    static int bucketOf(long durationNanos) {
        double ms = durationNanos / 1e6;
        if (ms < BASE_MS) {
            return 0;
        }
        return (int) Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms / BASE_MS) / LOG_FACTOR));
    }

    /** Upper bound (ms) of bucket {@code i}. */
    static double upperMs(int i) {
        return BASE_MS * Math.pow(FACTOR, i);
    }

    /** Records one call; never throws. */
    synchronized void add(
            String key, long startEpochNanos, long durationNanos, boolean error, String traceId, long nowNanos) {
        long slot = slotOf(startEpochNanos);
        long nowSlot = slotOf(nowNanos);
        if (slot <= nowSlot - SLOTS || slot > nowSlot + FUTURE_SLOTS) {
            return;
        }
        Series s = series.get(key);
        if (s == null) {
            if (series.size() >= maxKeys && !evictStale(nowSlot)) {
                droppedKeys++;
                return;
            }
            s = new Series();
            series.put(key, s);
        }
        int i = (int) Math.floorMod(slot, (long) SLOTS);
        if (s.slotNo[i] != slot) {
            if (s.slotNo[i] > slot) {
                return; // a newer hour's slot already holds this position
            }
            s.slotNo[i] = slot;
            s.calls[i] = 0;
            s.errors[i] = 0;
            if (s.hist[i] != null) {
                Arrays.fill(s.hist[i], 0);
            }
        }
        if (s.hist[i] == null) {
            s.hist[i] = new int[BUCKETS];
        }
        s.calls[i]++;
        s.errors[i] += error ? 1 : 0;
        s.hist[i][bucketOf(durationNanos)]++;
        s.lastSlot = Math.max(s.lastSlot, slot);
        if (!traceId.isEmpty() && !traceId.equals(s.recentTraces.peekLast())) {
            s.recentTraces.addLast(traceId);
            if (s.recentTraces.size() > RECENT_TRACES) {
                s.recentTraces.pollFirst();
            }
        }
    }

    private boolean evictStale(long nowSlot) {
        boolean any = false;
        for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
            if (it.next().lastSlot <= nowSlot - SLOTS) {
                it.remove();
                any = true;
            }
        }
        return any;
    }

    synchronized List<String> keys() {
        return new ArrayList<>(series.keySet());
    }

    synchronized long droppedKeys() {
        return droppedKeys;
    }

    synchronized int keyCount() {
        return series.size();
    }

    /** Most recent trace ids of a key, newest first. */
    synchronized List<String> recentTraces(String key) {
        Series s = series.get(key);
        List<String> out = new ArrayList<>();
        if (s != null) {
            s.recentTraces.descendingIterator().forEachRemaining(out::add);
        }
        return out;
    }

    /** Totals of a key over a time range. */
    record Totals(long calls, long errors, double p95Millis) {}

    /** Calls, errors and p95 of one key over the slots from {@code fromNanos} to {@code toNanos}. */
    synchronized Totals totals(String key, long fromNanos, long toNanos) {
        Series s = series.get(key);
        if (s == null) {
            return new Totals(0, 0, 0);
        }
        long from = slotOf(fromNanos);
        long to = slotOf(toNanos);
        long calls = 0;
        long errors = 0;
        long[] hist = new long[BUCKETS];
        for (int i = 0; i < SLOTS; i++) {
            if (s.slotNo[i] >= from && s.slotNo[i] <= to) {
                calls += s.calls[i];
                errors += s.errors[i];
                for (int b = 0; b < BUCKETS; b++) {
                    hist[b] += s.hist[i][b];
                }
            }
        }
        return new Totals(calls, errors, quantile(hist, calls, 0.95));
    }

    /**
     * Time series of the merged keys: for each step from {@code fromNanos} to {@code toNanos}, the
     * call rate per second, the error ratio and p50/p95/p99 in ms (null without calls).
     */
    synchronized Map<String, Object> series(Collection<String> keys, long fromNanos, long toNanos, int stepSlots) {
        long from = slotOf(fromNanos);
        long to = slotOf(toNanos);
        int steps = (int) Math.max(1, (to - from) / stepSlots + 1);
        long[] calls = new long[steps];
        long[] errors = new long[steps];
        long[][] hist = new long[steps][BUCKETS];
        for (String key : keys) {
            Series s = series.get(key);
            if (s == null) {
                continue;
            }
            for (int i = 0; i < SLOTS; i++) {
                long slot = s.slotNo[i];
                if (slot < from || slot > to) {
                    continue;
                }
                int step = (int) ((slot - from) / stepSlots);
                calls[step] += s.calls[i];
                errors[step] += s.errors[i];
                for (int b = 0; b < BUCKETS; b++) {
                    hist[step][b] += s.hist[i][b];
                }
            }
        }
        double stepSeconds = stepSlots * (SLOT_NANOS / 1e9);
        List<Long> t = new ArrayList<>(steps);
        List<Double> rate = new ArrayList<>(steps);
        List<Double> errorRatio = new ArrayList<>(steps);
        List<Double> p50 = new ArrayList<>(steps);
        List<Double> p95 = new ArrayList<>(steps);
        List<Double> p99 = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            t.add((from + (long) i * stepSlots) * (SLOT_NANOS / 1_000_000_000L));
            rate.add(calls[i] / stepSeconds);
            boolean any = calls[i] > 0;
            errorRatio.add(any ? (double) errors[i] / calls[i] : null);
            p50.add(any ? quantile(hist[i], calls[i], 0.50) : null);
            p95.add(any ? quantile(hist[i], calls[i], 0.95) : null);
            p99.add(any ? quantile(hist[i], calls[i], 0.99) : null);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepSeconds", stepSeconds);
        m.put("t", t);
        m.put("rate", rate);
        m.put("errorRatio", errorRatio);
        m.put("p50", p50);
        m.put("p95", p95);
        m.put("p99", p99);
        return m;
    }

    /** Calls per step of one key (a sparkline). */
    synchronized List<Long> counts(String key, long fromNanos, long toNanos, int stepSlots) {
        long from = slotOf(fromNanos);
        long to = slotOf(toNanos);
        int steps = (int) Math.max(1, (to - from) / stepSlots + 1);
        long[] calls = new long[steps];
        Series s = series.get(key);
        if (s != null) {
            for (int i = 0; i < SLOTS; i++) {
                if (s.slotNo[i] >= from && s.slotNo[i] <= to) {
                    calls[(int) ((s.slotNo[i] - from) / stepSlots)] += s.calls[i];
                }
            }
        }
        List<Long> out = new ArrayList<>(steps);
        for (long c : calls) {
            out.add(c);
        }
        return out;
    }

    /** The {@code q} quantile (ms) of a histogram, interpolated geometrically within its bucket. */
    static double quantile(long[] hist, long total, double q) {
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long seen = 0;
        for (int b = 0; b < hist.length; b++) {
            if (hist[b] == 0) {
                continue;
            }
            if (seen + hist[b] >= rank) {
                double within = (rank - seen) / hist[b];
                if (b == 0) {
                    return BASE_MS * within;
                }
                double lo = upperMs(b - 1);
                return lo * Math.pow(FACTOR, within);
            }
            seen += hist[b];
        }
        return upperMs(hist.length - 1);
    }
}
