package io.marty.observability.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.marty.observability.logging.internal.DropCounter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.LoggingEvent;

/**
 * Logback turbo filter that samples per {@link LogCategory} and rate-limits per logger and message
 * template, so a log storm cannot flood the sink. It runs before Logback creates the event, so a
 * dropped event costs almost nothing. ERROR events and the {@code security}, {@code audit} and
 * {@code error} categories are never dropped. Every drop is counted in {@code
 * mmf_log_events_dropped_total{reason="sampled"|"rate_limited"}}.
 *
 * <p>The rate limit is a token bucket per (logger, message template) pair — the template is the
 * unformatted message, e.g. {@code "order {} failed"} — refilled at {@link #setRatePerSecond} with
 * room for {@link #setBurst} events. At most {@link #setMaxTemplates} buckets exist; further
 * templates share one overflow bucket.
 *
 * <pre>{@code
 * <turboFilter class="io.marty.observability.logging.LogSamplingFilter">
 *   <categoryRates>performance=0.1,access=0.5</categoryRates>
 *   <ratePerSecond>200</ratePerSecond>
 *   <burst>1000</burst>
 * </turboFilter>
 * }</pre>
 */
public class LogSamplingFilter extends TurboFilter {
    /** Default bucket count limit: {@value}. */
    public static final int DEFAULT_MAX_TEMPLATES = 10_000;

    private final double[] rates = new double[LogCategory.values().length];
    private double ratePerSecond; // 0 = no rate limit
    private int burst = -1;
    private int maxTemplates = DEFAULT_MAX_TEMPLATES;
    private String categoryRates;

    private long intervalNanos;
    private long toleranceNanos;
    private final ConcurrentHashMap<Logger, ConcurrentHashMap<String, AtomicLong>> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger bucketCount = new AtomicInteger();
    private final AtomicLong overflowBucket = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);

    public LogSamplingFilter() {
        java.util.Arrays.fill(rates, 1.0);
    }

    @Override
    public void start() {
        java.util.Arrays.fill(rates, 1.0);
        if (categoryRates != null && !categoryRates.isBlank()) {
            for (String part : categoryRates.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException(
                            "categoryRates entry must be category=rate, got '" + p + "' in '" + categoryRates + "'");
                }
                LogCategory c = LogCategory.parse(p.substring(0, eq));
                rates[c.ordinal()] = parseRate(p.substring(eq + 1), "categoryRates." + c.label());
            }
        }
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
            throw new IllegalArgumentException("ratePerSecond must be >= 0, got " + ratePerSecond);
        }
        if (maxTemplates < 1) {
            throw new IllegalArgumentException("maxTemplates must be >= 1, got " + maxTemplates);
        }
        if (ratePerSecond > 0) {
            int b = burst < 0 ? (int) Math.max(1, Math.ceil(ratePerSecond)) : burst;
            if (b < 1) {
                throw new IllegalArgumentException("burst must be >= 1, got " + burst);
            }
            intervalNanos = Math.max(1, (long) (1_000_000_000L / ratePerSecond));
            // GCRA: an event conforms while its theoretical arrival time is within burst intervals
            toleranceNanos = intervalNanos * b;
        }
        super.start();
    }

    private static double parseRate(String s, String key) {
        try {
            double r = Double.parseDouble(s.trim());
            if (r >= 0 && r <= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(key + " must be a number in [0,1], got '" + s.trim() + "'");
    }

    @Override
    public FilterReply decide(
            @Nullable Marker marker,
            Logger logger,
            @Nullable Level level,
            @Nullable String format,
            @Nullable Object @Nullable [] params,
            @Nullable Throwable t) {
        if (!isStarted() || level == null || level.levelInt >= Level.ERROR_INT || !enabled(logger, level)) {
            return FilterReply.NEUTRAL;
        }
        if (format == null && params == null && t == null) {
            // an isXxxEnabled() query (also made by atInfo() etc.): not an event, never sample it
            return FilterReply.NEUTRAL;
        }
        return decide(logger, format, LogCategory.fromMarker(marker));
    }

    @Override
    public FilterReply decide(Logger logger, LoggingEvent event) {
        Level level = Level.convertAnSLF4JLevel(event.getLevel());
        if (!isStarted() || level.levelInt >= Level.ERROR_INT || !enabled(logger, level)) {
            return FilterReply.NEUTRAL;
        }
        return decide(logger, event.getMessage(), category(event));
    }

    /** Level check without re-entering the turbo filter chain (Logger.isEnabledFor would). */
    private static boolean enabled(Logger logger, Level level) {
        return level.levelInt >= logger.getEffectiveLevel().levelInt;
    }

    private FilterReply decide(Logger logger, String format, LogCategory category) {
        if (category == LogCategory.SECURITY || category == LogCategory.AUDIT || category == LogCategory.ERROR) {
            return FilterReply.NEUTRAL;
        }
        double rate = rates[(category == null ? LogCategory.APPLICATION : category).ordinal()];
        if (rate < 1.0 && ThreadLocalRandom.current().nextDouble() >= rate) {
            drop(DropReason.SAMPLED);
            return FilterReply.DENY;
        }
        if (intervalNanos > 0 && !tryAcquire(bucket(logger, format))) {
            drop(DropReason.RATE_LIMITED);
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    private AtomicLong bucket(Logger logger, String format) {
        String key = format == null ? "" : format;
        ConcurrentHashMap<String, AtomicLong> perLogger = buckets.get(logger);
        if (perLogger == null) {
            perLogger = buckets.computeIfAbsent(logger, l -> new ConcurrentHashMap<>());
        }
        AtomicLong b = perLogger.get(key);
        if (b != null) {
            return b;
        }
        if (bucketCount.get() >= maxTemplates) {
            return overflowBucket;
        }
        return perLogger.computeIfAbsent(key, k -> {
            bucketCount.incrementAndGet();
            return new AtomicLong(Long.MIN_VALUE);
        });
    }

    /** Lock-free GCRA token bucket: the AtomicLong holds the theoretical arrival time in nanos. */
    private boolean tryAcquire(AtomicLong tat) {
        long now = System.nanoTime();
        while (true) {
            long cur = tat.get();
            long base = cur == Long.MIN_VALUE || cur - now < 0 ? now : cur;
            long next = base + intervalNanos;
            if (next - now > toleranceNanos) {
                return false;
            }
            if (tat.compareAndSet(cur, next)) {
                return true;
            }
        }
    }

    private static LogCategory category(LoggingEvent event) {
        List<Marker> markers = event.getMarkers();
        if (markers != null) {
            for (int i = 0, n = markers.size(); i < n; i++) {
                LogCategory c = LogCategory.fromMarker(markers.get(i));
                if (c != null) {
                    return c;
                }
            }
        }
        List<KeyValuePair> kvs = event.getKeyValuePairs();
        if (kvs != null) {
            for (int i = 0, n = kvs.size(); i < n; i++) {
                KeyValuePair kv = kvs.get(i);
                if (kv != null && "category".equals(kv.key) && kv.value != null) {
                    return kv.value instanceof LogCategory
                            ? (LogCategory) kv.value
                            : LogCategory.fromLabel(kv.value.toString());
                }
            }
        }
        return null;
    }

    private void drop(DropReason reason) {
        dropped.incrementAndGet(reason.ordinal());
        DropCounter.record(reason);
    }

    /** Events this filter dropped for {@code reason}. */
    public long getDropped(DropReason reason) {
        return dropped.get(reason.ordinal());
    }

    /** Comma-separated {@code category=rate} pairs, rates in [0,1]; unlisted categories keep 1.0. */
    public void setCategoryRates(@Nullable String categoryRates) {
        this.categoryRates = categoryRates;
    }

    /** Sets one category's sample rate (programmatic form of {@link #setCategoryRates}). */
    public void setCategoryRate(LogCategory category, double rate) {
        String entry = category.label() + "=" + rate;
        this.categoryRates = categoryRates == null || categoryRates.isBlank() ? entry : categoryRates + "," + entry;
    }

    /** Events per second allowed per (logger, template); 0 (default) disables rate limiting. */
    public void setRatePerSecond(double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    /** Events allowed in a burst above the steady rate; default: one second's worth. */
    public void setBurst(int burst) {
        this.burst = burst;
    }

    /** Maximum number of (logger, template) buckets; default {@value #DEFAULT_MAX_TEMPLATES}. */
    public void setMaxTemplates(int maxTemplates) {
        this.maxTemplates = maxTemplates;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "LogSamplingFilter[rates=%s, ratePerSecond=%s]", categoryRates, ratePerSecond);
    }
}
