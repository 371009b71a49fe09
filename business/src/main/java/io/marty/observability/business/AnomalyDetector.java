package io.marty.observability.business;

import io.marty.observability.business.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds anomalies in a business series (revenue, orders, conversions …) against a seasonal baseline:
 * values are summed into fixed buckets; a finished bucket is compared with the buckets at the same
 * time of the previous {@code seasons} seasons (and {@code neighbourBuckets} either side of it), by
 * their median and median absolute deviation (MAD). The robust score is {@code (value − median) /
 * (1.4826 × MAD)}, both scaled by the recent level ({@code levelBuckets}: the median ratio of the
 * last normal buckets to their seasonal median), with the scale floored at {@code minRelativeChange × median / sensitivity} so a
 * very regular history does not turn tiny moves into alerts. A bucket is anomalous when the score
 * passes {@code sensitivity} in the watched direction and the value is at least {@code
 * minRelativeChange} away from the median; the detector reports an anomaly after {@code consecutive}
 * such buckets in a row. Until {@code minSeasons} seasons of history exist it only learns (warm-up).
 * Because the baseline is the same time of day on earlier days, the normal daily curve is not an
 * anomaly.
 *
 * <pre>{@code
 * AnomalyDetector revenue = AnomalyDetector.builder()
 *         .bucket(Duration.ofMinutes(5)).season(Duration.ofDays(1)).seasons(7).minSeasons(2)
 *         .sensitivity(3.5).minRelativeChange(0.3).consecutive(2).direction(AnomalyDetector.Direction.DROP)
 *         .build();
 * revenue.add(clock.millis(), 19.99);
 * for (AnomalyDetector.Result r : revenue.evaluate(clock.millis())) {
 *     if (r.anomalous()) { … r.explanation() … }
 * }
 * }</pre>
 *
 * <p>Memory: {@code (seasons + 1) × season / bucket} doubles. Not thread-safe: one thread adds and
 * evaluates (the alert evaluator does both).
 */
public final class AnomalyDetector {
    /** Which deviations count. */
    public enum Direction {
        /** Only values below the baseline (revenue or order drops). */
        DROP,
        /** Only values above the baseline (failure spikes). */
        SPIKE,
        /** Both. */
        BOTH;

        /** Parses {@code drop|spike|both}; throws naming the bad value. */
        public static Direction parse(String text) {
            for (Direction d : values()) {
                if (d.name().equalsIgnoreCase(text.trim())) {
                    return d;
                }
            }
            throw new IllegalArgumentException("direction must be drop, spike or both, got '" + text + "'");
        }
    }

    /**
     * The verdict on one finished bucket.
     *
     * @param bucketStartMillis start of the bucket
     * @param value the bucket's sum
     * @param expected the baseline median (NaN while warming up)
     * @param score the robust score (NaN while warming up)
     * @param deviating whether this bucket alone deviates
     * @param anomalous whether {@code consecutive} buckets in a row deviate, ending with this one
     * @param warmingUp whether there was too little history to judge
     * @param explanation in words
     */
    public record Result(
            long bucketStartMillis,
            double value,
            double expected,
            double score,
            boolean deviating,
            boolean anomalous,
            boolean warmingUp,
            String explanation) {}

    private final long bucketMillis;
    private final int slotsPerSeason;
    private final int seasons;
    private final int minSeasons;
    private final int neighbours;
    private final double sensitivity;
    private final double minRelativeChange;
    private final int consecutive;
    private final Direction direction;
    private final double[] values;
    private final long[] starts;
    private final List<Result> pending = new ArrayList<>();
    private long openBucket = Long.MIN_VALUE;
    private double openSum;
    private int run;
    private final int levelBuckets;
    private final double[] levels;
    private int levelCount;

    private AnomalyDetector(Builder b) {
        this.bucketMillis = b.bucket.toMillis();
        this.slotsPerSeason = (int) (b.season.toMillis() / bucketMillis);
        this.seasons = b.seasons;
        this.minSeasons = b.minSeasons;
        this.neighbours = b.neighbourBuckets;
        this.sensitivity = b.sensitivity;
        this.minRelativeChange = b.minRelativeChange;
        this.consecutive = b.consecutive;
        this.direction = b.direction;
        this.levelBuckets = b.levelBuckets;
        this.levels = new double[Math.max(1, levelBuckets)];
        int size = (seasons + 1) * slotsPerSeason + neighbours + 1;
        this.values = new double[size];
        this.starts = new long[size];
        Arrays.fill(starts, Long.MIN_VALUE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bucket width. */
    public Duration bucket() {
        return Duration.ofMillis(bucketMillis);
    }

    /** Adds {@code value} at {@code timeMillis} (times before the open bucket are ignored). */
    public void add(long timeMillis, double value) {
        long b = Math.floorDiv(timeMillis, bucketMillis) * bucketMillis;
        if (openBucket == Long.MIN_VALUE) {
            openBucket = b;
        }
        if (b < openBucket || Double.isNaN(value)) {
            return;
        }
        if (b > openBucket) {
            pending.addAll(closeUntil(b));
            while (pending.size() > values.length) {
                pending.remove(0);
            }
        }
        openSum += value;
    }

    /**
     * Closes every bucket that ended by {@code nowMillis} (a bucket with no value counts as 0) and
     * returns the verdict on each, oldest first. Before the first {@link #add} there is nothing to close.
     */
    public List<Result> evaluate(long nowMillis) {
        List<Result> out = new ArrayList<>(pending);
        pending.clear();
        if (openBucket == Long.MIN_VALUE) {
            return out;
        }
        out.addAll(closeUntil(Math.floorDiv(nowMillis, bucketMillis) * bucketMillis));
        return out;
    }

    private List<Result> closeUntil(long current) {
        List<Result> out = new ArrayList<>();
        // a long silence closes at most one ring of buckets
        if (current - openBucket > (long) values.length * bucketMillis) {
            openBucket = current - (long) values.length * bucketMillis;
            openSum = 0;
        }
        while (openBucket < current) {
            out.add(close(openBucket, openSum));
            openBucket += bucketMillis;
            openSum = 0;
        }
        return out;
    }

    private Result close(long start, double value) {
        double[] hist = new double[seasons * (2 * neighbours + 1)];
        int n = 0;
        int seasonsSeen = 0;
        for (int k = 1; k <= seasons; k++) {
            boolean seen = false;
            for (int j = -neighbours; j <= neighbours; j++) {
                long t = start - (long) k * slotsPerSeason * bucketMillis + j * bucketMillis;
                int i = index(t);
                if (starts[i] == t) {
                    hist[n++] = values[i];
                    seen = true;
                }
            }
            if (seen) {
                seasonsSeen++;
            }
        }
        int i = index(start);
        starts[i] = start;
        values[i] = value;
        if (seasonsSeen < minSeasons) {
            run = 0;
            return new Result(
                    start,
                    value,
                    Double.NaN,
                    Double.NaN,
                    false,
                    false,
                    true,
                    "warming up: " + seasonsSeen + " of " + minSeasons + " seasons of history");
        }
        Arrays.sort(hist, 0, n);
        double median = median(hist, n);
        double[] dev = new double[n];
        for (int k = 0; k < n; k++) {
            dev[k] = Math.abs(hist[k] - median);
        }
        Arrays.sort(dev);
        double seasonal = median;
        double level = level();
        median = seasonal * level;
        double scale = Math.max(1.4826 * median(dev, n) * level, Math.abs(median) * minRelativeChange / sensitivity);
        if (scale == 0) {
            scale = Double.MIN_NORMAL;
        }
        double score = (value - median) / scale;
        double relative =
                median == 0 ? (value == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(value - median) / Math.abs(median);
        boolean directionOk = direction == Direction.BOTH
                || (direction == Direction.DROP && score < 0)
                || (direction == Direction.SPIKE && score > 0);
        boolean deviating = directionOk && Math.abs(score) >= sensitivity && relative >= minRelativeChange;
        run = deviating ? run + 1 : 0;
        if (!deviating && seasonal > 0 && levelBuckets > 0) {
            levels[levelCount++ % levelBuckets] = value / seasonal;
        }
        boolean anomalous = run >= consecutive;
        String text = String.format(
                Locale.ROOT,
                "%s %.4g against a seasonal median of %.4g (%+.0f%%, robust score %.1f, threshold %.1f) over %d buckets of %d earlier seasons%s",
                deviating ? (score < 0 ? "drop:" : "spike:") : "normal:",
                value,
                median,
                median == 0 ? 0 : 100 * (value - median) / Math.abs(median),
                score,
                sensitivity,
                n,
                seasonsSeen,
                anomalous ? ", " + run + " buckets in a row" : "");
        return new Result(start, value, median, score, deviating, anomalous, false, text);
    }

    /** Median ratio of recent normal buckets to their seasonal median (1 until half the window is known). */
    private double level() {
        int have = Math.min(levelCount, levelBuckets);
        if (levelBuckets == 0 || have < Math.max(1, levelBuckets / 2)) {
            return 1;
        }
        double[] copy = Arrays.copyOf(levels, have);
        Arrays.sort(copy);
        return median(copy, have);
    }

    private int index(long t) {
        return (int) Math.floorMod(Math.floorDiv(t, bucketMillis), (long) values.length);
    }

    private static double median(double[] sorted, int n) {
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Builder for {@link AnomalyDetector}. */
    public static final class Builder {
        private Duration bucket = Duration.ofMinutes(5);
        private Duration season = Duration.ofDays(1);
        private int seasons = 7;
        private int minSeasons = 2;
        private int neighbourBuckets = 1;
        private double sensitivity = 3.5;
        private double minRelativeChange = 0.3;
        private int consecutive = 2;
        private Direction direction = Direction.DROP;
        private int levelBuckets = 12;

        private Builder() {}

        /**
         * Recent normal buckets whose median ratio to their seasonal median scales the baseline
         * (default 12; 0 turns it off). It follows slow level changes the seasons do not show, such
         * as a quieter weekend day against a baseline of weekdays, while a sudden change still stands
         * out; deviating buckets do not move it.
         */
        public Builder levelBuckets(int n) {
            if (n < 0 || n > 1000) {
                throw new IllegalArgumentException("levelBuckets must be in 0..1000, got " + n);
            }
            this.levelBuckets = n;
            return this;
        }

        /** Bucket width (default 5 min). */
        public Builder bucket(Duration d) {
            this.bucket = Checks.atLeastOneMilli("bucket", d);
            return this;
        }

        /** Seasonal period (default 1 day); a whole number of buckets. */
        public Builder season(Duration d) {
            this.season = Checks.positive("season", d);
            return this;
        }

        /** Earlier seasons forming the baseline (default 7), 1..60. */
        public Builder seasons(int n) {
            if (n < 1 || n > 60) {
                throw new IllegalArgumentException("seasons must be in 1..60, got " + n);
            }
            this.seasons = n;
            return this;
        }

        /** Seasons of history needed before judging (warm-up, default 2). */
        public Builder minSeasons(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("minSeasons must be >= 1, got " + n);
            }
            this.minSeasons = n;
            return this;
        }

        /** Buckets either side of the same time taken into the baseline (default 1). */
        public Builder neighbourBuckets(int n) {
            if (n < 0 || n > 12) {
                throw new IllegalArgumentException("neighbourBuckets must be in 0..12, got " + n);
            }
            this.neighbourBuckets = n;
            return this;
        }

        /** Robust score a bucket must pass (default 3.5; higher is less sensitive). */
        public Builder sensitivity(double s) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("sensitivity must be > 0, got " + s);
            }
            this.sensitivity = s;
            return this;
        }

        /** Smallest relative deviation from the median that counts (default 0.3). */
        public Builder minRelativeChange(double r) {
            if (!(r >= 0)) {
                throw new IllegalArgumentException("minRelativeChange must be >= 0, got " + r);
            }
            this.minRelativeChange = r;
            return this;
        }

        /** Deviating buckets in a row before reporting (default 2). */
        public Builder consecutive(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("consecutive must be >= 1, got " + n);
            }
            this.consecutive = n;
            return this;
        }

        /** Which deviations count (default {@link Direction#DROP}). */
        public Builder direction(Direction d) {
            this.direction = java.util.Objects.requireNonNull(d, "direction");
            return this;
        }

        public AnomalyDetector build() {
            if (season.toMillis() % bucket.toMillis() != 0 || season.toMillis() / bucket.toMillis() < 2) {
                throw new IllegalArgumentException(
                        "season " + season + " must be a whole number (>= 2) of buckets of " + bucket);
            }
            if (minSeasons > seasons) {
                throw new IllegalArgumentException("minSeasons " + minSeasons + " > seasons " + seasons);
            }
            long size = (seasons + 1L) * (season.toMillis() / bucket.toMillis());
            if (size > 1_000_000) {
                throw new IllegalArgumentException("season/bucket x seasons = " + size + " buckets, more than 1000000");
            }
            return new AnomalyDetector(this);
        }
    }
}
