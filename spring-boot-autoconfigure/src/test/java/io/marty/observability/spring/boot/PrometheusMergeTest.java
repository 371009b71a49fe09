package io.marty.observability.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.marty.observability.core.MartyObservability;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** With Micrometer's Prometheus registry, Boot's own endpoint serves Marty's metrics too. */
class PrometheusMergeTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    MetricsAutoConfiguration.class,
                    PrometheusMetricsExportAutoConfiguration.class,
                    MartyAutoConfiguration.class,
                    MartyWebAutoConfiguration.class,
                    MartyActuatorAutoConfiguration.class))
            .withPropertyValues(
                    "marty.service.name=merge",
                    "marty.tracing.exporter=none",
                    "management.endpoints.web.exposure.include=prometheus");

    @Test
    void bootsEndpointShowsMartysSeriesBesideMicrometersOnce() {
        runner.run(context -> {
            MartyObservability obs = context.getBean(MartyObservability.class);
            obs.metrics().counter("orders_placed", "orders placed").inc();
            context.getBean(MeterRegistry.class).counter("micrometer_side").increment();

            String scrape = scrape(context.getBean(PrometheusScrapeEndpoint.class));

            assertThat(scrape).contains("mmf_orders_placed_total{").contains("micrometer_side_total");
            // Marty's JVM metrics stay out of Boot's registry (a name may appear once per scrape)
            assertThat(scrape).doesNotContain("jvm_memory_used_bytes");
        });
    }

    @Test
    void bridgePublishesThroughMicrometerInsteadOfBeside() {
        runner.withPropertyValues("marty.micrometer.bridge=true").run(context -> {
            MartyObservability obs = context.getBean(MartyObservability.class);
            obs.metrics().counter("orders_placed", "orders placed").inc(2);
            MeterRegistry micrometer = context.getBean(MeterRegistry.class);
            PrometheusScrapeEndpoint endpoint = context.getBean(PrometheusScrapeEndpoint.class);

            // Boot bound the bridge; a series created later is picked up by a scrape a second on
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                scrape(endpoint);
                assertThat(micrometer.find("mmf_orders_placed_total").functionCounter())
                        .isNotNull()
                        .satisfies(c -> assertThat(c.count()).isEqualTo(2));
            });
            assertThat(scrape(endpoint).lines().filter(l -> l.startsWith("mmf_orders_placed_total")))
                    .hasSize(1);
        });
    }

    private static String scrape(PrometheusScrapeEndpoint endpoint) {
        // included names null: every name (an empty set would select none)
        byte[] body =
                endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null).getBody();
        return new String(body, StandardCharsets.UTF_8);
    }
}
