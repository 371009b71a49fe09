package io.marty.observability.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.console.ConsoleMetricPoint;
import io.marty.observability.console.ConsoleSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Timing harness for the Services and Metrics chart queries at full stores (50 000 spans over the
 * last hour in 3 services × 10 routes with client/server pairs; 100 000 histogram points in 100 series
 * sent, as many held as the metric store's byte budget allows).
 * Runs only with {@code -Dmmf.bench=true}; prints median and p99 per query (figures in
 * benchmarks/RESULTS.md):
 *
 * <pre>
 * mvn -B -ntp -o -q -pl console verify -Dtest=ChartQueryHarness -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DskipITs -Dmmf.bench=true
 * </pre>
 */
class ChartQueryHarness {
    static final int ROUNDS = 300;

    @Test
    void chartQueriesAtFullStores() {
        Assumptions.assumeTrue(Boolean.getBoolean("mmf.bench"), "run with -Dmmf.bench=true");
        long now = System.currentTimeMillis() * 1_000_000L;
        TelemetryStore store = new TelemetryStore(50_000, 50_000, 100_000, 256L << 20);
        String[] services = {"gateway", "order-service", "payment-service"};
        List<ConsoleSpan> batch = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            String trace = String.format("%032x", i + 1);
            long start = now - (long) (i % 3600) * 1_000_000_000L;
            String svc = services[i % 3];
            String callee = services[(i + 1) % 3];
            Map<String, String> attrs =
                    Map.of("http.route", "/r" + (i % 10), "http.response.status_code", i % 20 == 0 ? "500" : "200");
            batch.add(new ConsoleSpan(
                    0,
                    trace,
                    String.format("%016x", 2L * i + 1),
                    "",
                    "op",
                    "CLIENT",
                    svc,
                    start,
                    5_000_000 + i % 50 * 1_000_000L,
                    "UNSET",
                    "",
                    "",
                    Map.of(),
                    List.of()));
            batch.add(new ConsoleSpan(
                    0,
                    trace,
                    String.format("%016x", 2L * i + 2),
                    String.format("%016x", 2L * i + 1),
                    "op",
                    "SERVER",
                    callee,
                    start + 100_000,
                    4_000_000 + i % 50 * 1_000_000L,
                    "UNSET",
                    "",
                    "",
                    attrs,
                    List.of()));
            if (batch.size() >= 500) {
                store.addSpans(batch);
                batch = new ArrayList<>();
            }
        }
        List<ConsoleMetricPoint> points = new ArrayList<>();
        List<Double> bounds = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0);
        for (int p = 0; p < 1000; p++) {
            for (int s = 0; s < 100; s++) {
                long c = (long) p * 10;
                points.add(new ConsoleMetricPoint(
                        0,
                        "mmf_request_duration_seconds",
                        services[s % 3],
                        "histogram",
                        "s",
                        now - (1000L - p) * 3_600_000_000L,
                        Map.of("http.route", "/r" + s),
                        0.05,
                        c,
                        c * 0.05,
                        bounds,
                        List.of(c / 9, c / 9, c / 9, c / 9, c / 9, c / 9, c / 9, c / 9, c - 8 * (c / 9)),
                        List.of()));
            }
            if (points.size() >= 5000) {
                store.addMetrics(points);
                points = new ArrayList<>();
            }
        }
        assertThat(store.spans().size()).isEqualTo(50_000);
        // full: histogram points reach the metric store's byte budget (1/4 of 256 MiB) before its count
        assertThat(store.metrics().evicted()).isPositive();
        String seriesKey = store.metrics().keys(0).get(0);

        System.out.println("chart queries at full stores (" + store.spans().size() + " spans, "
                + store.metrics().size() + " histogram points held of 100 000 sent), " + ROUNDS + " rounds:");
        double table = time("services table (5 min RED, span scan)", () -> store.services(300, now));
        double chart = time("service chart (1 h, rollup)", () -> store.serviceSeries("order-service", "", 3600, now));
        time("service chart (15 min, rollup)", () -> store.serviceSeries("order-service", "", 900, now));
        time("service map (15 min, rollup)", () -> store.serviceMap(900, now));
        time("metrics table (latest per series)", () -> store.latestSeries("", "", 500));
        double metric =
                time("metric chart (1 h histogram, series index)", () -> store.metricSeries(seriesKey, 3600, now));
        assertThat(chart).isLessThan(table);
        assertThat(metric).isLessThan(50);
    }

    /** Median milliseconds of {@code ROUNDS} calls after as many warm-up calls; prints median and p99. */
    static double time(String name, Supplier<Object> query) {
        for (int i = 0; i < ROUNDS; i++) {
            query.get();
        }
        double[] ms = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[ROUNDS / 2];
        System.out.printf(Locale.ROOT, "  %-45s median %8.3f ms   p99 %8.3f ms%n", name, median, ms[ROUNDS * 99 / 100]);
        return median;
    }
}
