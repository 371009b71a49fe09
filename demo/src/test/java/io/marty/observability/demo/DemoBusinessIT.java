package io.marty.observability.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.demo.traffic.Fault;
import io.marty.observability.demo.traffic.FaultSchedule;
import io.marty.observability.demo.traffic.HttpTarget;
import io.marty.observability.demo.traffic.TrafficGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The demo's services record business metrics through the business API, and the REVENUE_DROP fault is
 * caught by the anomaly rule (demo rules on a faster time scale: 4 s buckets, a 16 s season).
 */
class DemoBusinessIT {

    @Test
    void ordersRevenueAndFunnelAreRecordedAndTheRevenueDropIsCaughtByTheAnomalyDetector() throws Exception {
        String rules = DemoBusiness.RULES.replace(
                "{bucket: 10s, season: 1m, seasons: 3, min_seasons: 1,",
                "{bucket: 4s, season: 16s, seasons: 3, min_seasons: 1,");
        assertThat(rules).contains("season: 16s");
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        PrometheusRegistry registry = new PrometheusRegistry();
        try (MartyObservability marty = MartyObservability.start(ObservabilityConfig.builder()
                        .serviceName("marty-demo-shop")
                        .exporter("none")
                        .prometheusRegistry(registry)
                        .build());
                DemoServices demo = DemoServices.start(marty);
                DemoBusiness business = DemoBusiness.start(marty, rules, Duration.ofSeconds(1), List.of(alerts::add))) {
            // late enough that the baseline (three 16 s seasons back) no longer holds the start-up seconds
            Duration dropAt = Duration.ofSeconds(56);
            long started = System.nanoTime();
            String stats;
            try (TrafficGenerator traffic = TrafficGenerator.builder(new HttpTarget(demo.gatewayUri()))
                    .requestsPerSecond(40)
                    .seed(42)
                    .duration(Duration.ofSeconds(72))
                    .schedule(FaultSchedule.builder()
                            .window(Fault.REVENUE_DROP, dropAt, Duration.ofSeconds(16))
                            .build())
                    .build()
                    .start()) {
                assertThat(traffic.awaitCompletion(Duration.ofSeconds(100))).isTrue();
                stats = traffic.stats().toString();
            }
            assertThat(business.metrics()
                            .aggregate(
                                    "orders",
                                    io.marty.observability.business.Aggregation.COUNT,
                                    Duration.ofMinutes(5),
                                    Duration.ZERO))
                    .isPositive();
            assertThat(business.metrics()
                            .funnels()
                            .get(0)
                            .conversion(Duration.ofMinutes(5))
                            .get(2)
                            .count())
                    .isPositive();
            // the health score is refreshed as orders arrive: its gauges carry a score and the components
            assertThat(gauge(registry, "mmf_business_health_score"))
                    .singleElement()
                    .satisfies(v -> assertThat(v).isBetween(0.0, 100.0));
            assertThat(gauge(registry, "mmf_business_health_component_weight")).hasSize(5);
            List<Alert> anomalies = alerts.stream()
                    .filter(a -> a.rule().equals("revenue_anomaly"))
                    .toList();
            assertThat(anomalies)
                    .as(
                            "alerts %s, traffic %s, revenue per second %s, errors %s",
                            alerts,
                            stats,
                            java.util.Arrays.toString(business.metrics()
                                    .series("revenue")
                                    .buckets(io.marty.observability.business.Aggregation.SUM, 60)),
                            io.marty.observability.core.failure.InstrumentationErrors.current()
                                    .count("business"))
                    .isNotEmpty();
            long firedAfterStart = anomalies.get(0).firedAtMillis()
                    - (System.currentTimeMillis()
                            - Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertThat(firedAfterStart)
                    .as(
                            "first anomaly alert %s ms after start: %s",
                            firedAfterStart, anomalies.get(0).explanation())
                    .isBetween(dropAt.toMillis(), dropAt.toMillis() + 16_000);
        }
    }

    /** The values of a gauge's series in {@code registry}. */
    static List<Double> gauge(PrometheusRegistry registry, String name) {
        return registry.scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals(name))
                .flatMap(m -> m.getDataPoints().stream())
                .map(p -> ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue())
                .toList();
    }
}
