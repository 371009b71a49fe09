package io.marty.observability.core.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Per-metric cache of label-value children with a hard series cap. Beyond the cap every new label
 * combination is recorded on one overflow child (all labels {@code other}) and counted; the first
 * overflow of a metric is logged once.
 */
final class SeriesCache<C> {
    private static final Logger logger = Logger.getLogger(SeriesCache.class.getName());

    private final String metricName;
    private final int labelCount;
    private final int maxSeries;
    private final Function<String[], C> factory;
    private final Runnable onOverflow;
    private final ConcurrentHashMap<List<String>, C> children = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile C overflow;
    private volatile C invalid;
    private final C noop;

    SeriesCache(
            String metricName,
            int labelCount,
            int maxSeries,
            Function<String[], C> factory,
            Runnable onOverflow,
            C noop) {
        this.metricName = metricName;
        this.labelCount = labelCount;
        this.maxSeries = maxSeries;
        this.factory = factory;
        this.onOverflow = onOverflow;
        this.noop = noop;
    }

    /** The child for these label values; never throws (wrong arity gives a no-op child, logged once). */
    C get(String... values) {
        if (values == null || values.length != labelCount) {
            if (invalid == null) {
                invalid = noop;
                logger.log(
                        Level.WARNING,
                        "metric {0}: expected {1} label values, got {2}; data points dropped",
                        new Object[] {metricName, labelCount, values == null ? 0 : values.length});
            }
            return noop;
        }
        C c = children.get(Arrays.asList(values));
        if (c != null) {
            return c;
        }
        return slowPath(values);
    }

    private C slowPath(String[] values) {
        String[] copy = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i] == null ? "none" : values[i];
        }
        List<String> key = List.of(copy);
        C existing = children.get(key);
        if (existing != null) {
            return existing;
        }
        if (size.incrementAndGet() > maxSeries) {
            size.decrementAndGet();
            onOverflow.run();
            if (warned.compareAndSet(false, true)) {
                logger.log(
                        Level.WARNING,
                        "metric {0} reached its limit of {1} series; further label combinations are"
                                + " recorded as ''other''",
                        new Object[] {metricName, maxSeries});
            }
            C o = overflow;
            if (o == null) {
                synchronized (this) {
                    o = overflow;
                    if (o == null) {
                        String[] other = new String[labelCount];
                        Arrays.fill(other, MetricNames.OVERFLOW_VALUE);
                        o = factory.apply(other);
                        overflow = o;
                    }
                }
            }
            return o;
        }
        C created = factory.apply(copy);
        C raced = children.putIfAbsent(key, created);
        if (raced != null) {
            size.decrementAndGet();
            return raced;
        }
        return created;
    }

    /** Number of distinct series created (overflow series excluded). */
    int size() {
        return children.size();
    }
}
