package io.marty.observability.business;

import io.marty.observability.business.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A bounded in-memory time series: points fall into fixed-width buckets (count, sum, min, max and up
 * to {@code samplesPerBucket} samples for percentiles, kept by reservoir sampling); a ring of buckets
 * covers the retention, older buckets are reused. Windows are whole buckets ending with the current
 * one. Thread-safe; recording never throws and never allocates after construction.
 *
 * <pre>{@code
 * WindowedSeries latency = WindowedSeries.builder()
 *         .bucket(Duration.ofMinutes(1)).retention(Duration.ofHours(2)).samplesPerBucket(128).build();
 * latency.record(0.120);
 * double p95 = latency.aggregate(Aggregation.P95, Duration.ofMinutes(5));
 * }</pre>
 */
public final class WindowedSeries {
    private final Clock clock;
    private final long bucketMillis;
    private final int buckets;
    private final int samplesPerBucket;
    private final long[] start;
    private final long[] count;
    private final double[] sum;
    private final double[] min;
    private final double[] max;
    private final double[] samples;
    private long rng = 0x9E3779B97F4A7C15L;
    private long firstMillis = Long.MAX_VALUE;

    private WindowedSeries(Builder b) {
        this.clock = b.clock;
        this.bucketMillis = b.bucket.toMillis();
        this.buckets = (int) Math.max(1, (b.retention.toMillis() + bucketMillis - 1) / bucketMillis);
        this.samplesPerBucket = b.samplesPerBucket;
        this.start = new long[buckets];
        Arrays.fill(start, Long.MIN_VALUE);
        this.count = new long[buckets];
        this.sum = new double[buckets];
        this.min = new double[buckets];
        this.max = new double[buckets];
        this.samples = new double[buckets * samplesPerBucket];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Width of one bucket. */
    public Duration bucket() {
        return Duration.ofMillis(bucketMillis);
    }

    /** How far back the series remembers. */
    public Duration retention() {
        return Duration.ofMillis(bucketMillis * buckets);
    }

    /** Time of the earliest point recorded ({@code Long.MAX_VALUE} before any). */
    public synchronized long firstMillis() {
        return firstMillis;
    }

    /** Records {@code value} now. */
    public void record(double value) {
        record(clock.millis(), value);
    }

    /** Records {@code value} at {@code timeMillis}; points older than the retention are ignored. */
    public synchronized void record(long timeMillis, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        int i = slot(timeMillis, true);
        if (i < 0) {
            return;
        }
        firstMillis = Math.min(firstMillis, timeMillis);
        long n = ++count[i];
        sum[i] += value;
        if (n == 1 || value < min[i]) {
            min[i] = value;
        }
        if (n == 1 || value > max[i]) {
            max[i] = value;
        }
        if (samplesPerBucket > 0) {
            if (n <= samplesPerBucket) {
                samples[i * samplesPerBucket + (int) (n - 1)] = value;
            } else {
                long r = Math.floorMod(nextRandom(), n);
                if (r < samplesPerBucket) {
                    samples[i * samplesPerBucket + (int) r] = value;
                }
            }
        }
    }

    private long nextRandom() {
        rng ^= rng << 13;
        rng ^= rng >>> 7;
        rng ^= rng << 17;
        return rng;
    }

    private int slot(long t, boolean create) {
        long b = Math.floorDiv(t, bucketMillis);
        long s = b * bucketMillis;
        int i = (int) Math.floorMod(b, (long) buckets);
        if (start[i] == s) {
            return i;
        }
        if (!create || start[i] > s) {
            return -1;
        }
        start[i] = s;
        count[i] = 0;
        sum[i] = 0;
        return i;
    }

    /** {@code agg} over the {@code window} ending now. */
    public double aggregate(Aggregation agg, Duration window) {
        return aggregate(agg, window, Duration.ZERO);
    }

    /** {@code agg} over the {@code window} ending {@code offset} before now. */
    public double aggregate(Aggregation agg, Duration window, Duration offset) {
        return aggregateAt(agg, window, clock.millis() - offset.toMillis());
    }

    /** {@code agg} over the {@code window} whose last bucket holds {@code endMillis}. */
    public synchronized double aggregateAt(Aggregation agg, Duration window, long endMillis) {
        int n = (int) Math.max(1, window.toMillis() / bucketMillis);
        long last = Math.floorDiv(endMillis, bucketMillis) * bucketMillis;
        long c = 0;
        double s = 0;
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        int kept = 0;
        double[] q = agg.quantile() >= 0 ? new double[Math.min(n, buckets) * samplesPerBucket] : null;
        for (int k = 0; k < n && k < buckets; k++) {
            long bs = last - k * bucketMillis;
            int i = (int) Math.floorMod(Math.floorDiv(bs, bucketMillis), (long) buckets);
            if (start[i] != bs || count[i] == 0) {
                continue;
            }
            c += count[i];
            s += sum[i];
            mn = Math.min(mn, min[i]);
            mx = Math.max(mx, max[i]);
            if (q != null) {
                int have = (int) Math.min(count[i], samplesPerBucket);
                System.arraycopy(samples, i * samplesPerBucket, q, kept, have);
                kept += have;
            }
        }
        switch (agg) {
            case SUM:
                return s;
            case COUNT:
                return c;
            case AVG:
                return c == 0 ? Double.NaN : s / c;
            case MIN:
                return c == 0 ? Double.NaN : mn;
            case MAX:
                return c == 0 ? Double.NaN : mx;
            case RATE:
                return s / (n * bucketMillis / 1000.0);
            default:
                if (kept == 0) {
                    return Double.NaN;
                }
                Arrays.sort(q, 0, kept);
                int idx = (int) Math.ceil(agg.quantile() * kept) - 1;
                return q[Math.max(0, Math.min(kept - 1, idx))];
        }
    }

    /**
     * {@code agg} of each of the last {@code points} buckets, oldest first (empty buckets: 0 for sum,
     * count and rate, NaN otherwise); for charts and the anomaly detector.
     */
    public double[] buckets(Aggregation agg, int points) {
        long now = clock.millis();
        double[] out = new double[points];
        for (int k = 0; k < points; k++) {
            out[points - 1 - k] = aggregateAt(agg, bucket(), now - k * bucketMillis);
        }
        return out;
    }

    /** Builder for {@link WindowedSeries}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration bucket = Duration.ofMinutes(1);
        private Duration retention = Duration.ofHours(1);
        private int samplesPerBucket;

        private Builder() {}

        /** Clock for {@link #record(double)} and the windows (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Bucket width (default 1 min), at least 1 ms. */
        public Builder bucket(Duration d) {
            this.bucket = Checks.atLeastOneMilli("bucket", d);
            return this;
        }

        /** How far back to keep (default 1 h); at most 100,000 buckets. */
        public Builder retention(Duration d) {
            this.retention = Checks.positive("retention", d);
            return this;
        }

        /** Samples kept per bucket for percentiles (default 0: percentiles are NaN), at most 1024. */
        public Builder samplesPerBucket(int n) {
            if (n < 0 || n > 1024) {
                throw new IllegalArgumentException("samplesPerBucket must be in 0..1024, got " + n);
            }
            this.samplesPerBucket = n;
            return this;
        }

        public WindowedSeries build() {
            long n = retention.toMillis() / bucket.toMillis();
            if (n > 100_000) {
                throw new IllegalArgumentException(
                        "retention " + retention + " / bucket " + bucket + " = " + n + " buckets, more than 100000");
            }
            return new WindowedSeries(this);
        }
    }
}
