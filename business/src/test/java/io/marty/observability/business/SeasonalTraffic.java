package io.marty.observability.business;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Random;

/**
 * Synthetic shop revenue for the anomaly tests: orders per bucket are Poisson with a daily curve
 * (trough at 03:00 at 20 % of the mean, peak at 15:00 at 180 %) and weekends at 85 %; each order's
 * amount is log-normal (median 40, about 50 % spread). Seeded, so every run sees the same data.
 */
final class SeasonalTraffic {
    private final Random random;
    private final double ordersPerBucketAtMean;

    SeasonalTraffic(long seed, double ordersPerBucketAtMean) {
        this.random = new Random(seed);
        this.ordersPerBucketAtMean = ordersPerBucketAtMean;
    }

    /** Expected orders in the bucket starting at {@code t}. */
    double expectedOrders(long t) {
        ZonedDateTime z = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC);
        double hour = z.getHour() + z.getMinute() / 60.0;
        double daily = 1 + 0.8 * Math.sin(2 * Math.PI * (hour - 9) / 24);
        double weekly = z.getDayOfWeek().getValue() >= 6 ? 0.85 : 1.0;
        return ordersPerBucketAtMean * daily * weekly;
    }

    /** Revenue of one bucket starting at {@code t}, scaled by {@code factor} (0.5 = a 50 % drop). */
    double revenue(long t, double factor) {
        int orders = poisson(expectedOrders(t) * factor);
        double sum = 0;
        for (int i = 0; i < orders; i++) {
            sum += Math.exp(Math.log(40) + 0.5 * random.nextGaussian());
        }
        return sum;
    }

    private int poisson(double lambda) {
        if (lambda > 50) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * random.nextGaussian()));
        }
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    static long start() {
        return Instant.parse("2026-03-02T00:00:00Z").toEpochMilli(); // a Monday
    }

    static long days(int n) {
        return Duration.ofDays(n).toMillis();
    }
}
