package io.marty.observability.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MicrometerBridgeTest {

    private final PrometheusRegistry marty = new PrometheusRegistry();
    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry micrometer = new SimpleMeterRegistry();

    @Test
    void countersGaugesAndHistogramsReachMicrometerAndFollowLaterValues() {
        Counter requests =
                Counter.builder().name("mmf_requests_total").labelNames("route").register(marty);
        Gauge active = Gauge.builder().name("mmf_active_requests").register(marty);
        Histogram duration = Histogram.builder()
                .name("mmf_request_duration_seconds")
                .classicOnly()
                .register(marty);
        requests.labelValues("/orders/{id}").inc(3);
        active.set(2);
        duration.observe(0.25);

        new MicrometerBridge(marty, nanos::get).bindTo(micrometer);

        assertThat(micrometer
                        .get("mmf_requests_total")
                        .tag("route", "/orders/{id}")
                        .functionCounter()
                        .count())
                .isEqualTo(3);
        assertThat(micrometer.get("mmf_active_requests").gauge().value()).isEqualTo(2);
        assertThat(micrometer
                        .get("mmf_request_duration_seconds_count")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(micrometer
                        .get("mmf_request_duration_seconds_sum")
                        .functionCounter()
                        .count())
                .isEqualTo(0.25);

        requests.labelValues("/orders/{id}").inc();
        requests.labelValues("/stock/{id}").inc();
        // within a second the last scrape is reused
        nanos.addAndGet(500_000_000L);
        assertThat(micrometer
                        .get("mmf_requests_total")
                        .tag("route", "/orders/{id}")
                        .functionCounter()
                        .count())
                .isEqualTo(3);
        nanos.addAndGet(600_000_000L);
        assertThat(micrometer
                        .get("mmf_requests_total")
                        .tag("route", "/orders/{id}")
                        .functionCounter()
                        .count())
                .isEqualTo(4);
        // a series that appeared since was registered by that scrape
        assertThat(micrometer
                        .get("mmf_requests_total")
                        .tag("route", "/stock/{id}")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void mergeLeavesRuntimeMetricsToMicrometer() {
        Counter.builder().name("mmf_requests_total").register(marty).inc();
        Gauge.builder().name("jvm_threads_live").register(marty).set(9);
        PrometheusRegistry boot = new PrometheusRegistry();
        Gauge.builder().name("jvm_threads_live").register(boot).set(10);

        boot.register(new PrometheusMerge(marty));

        assertThat(boot.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
                .containsExactlyInAnyOrder("mmf_requests", "jvm_threads_live");
    }
}
