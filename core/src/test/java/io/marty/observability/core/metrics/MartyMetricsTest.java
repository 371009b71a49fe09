package io.marty.observability.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MartyMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MartyMetrics metrics = MartyMetrics.builder()
            .serviceName("orders")
            .registry(registry)
            .maxSeriesPerMetric(2)
            .build();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void customMetricsArePrefixedLabelledAndCached() throws Exception {
        MartyCounter c = metrics.counter("orders_placed", "Orders placed.", "channel");
        assertThat(c.name()).isEqualTo("mmf_orders_placed_total");
        assertThat(metrics.counter("mmf_orders_placed_total", "again", "channel"))
                .isSameAs(c);
        c.labels("web").inc();
        c.labels("web").inc(2);
        c.labels("web").inc(-5); // ignored
        metrics.gauge("queue_depth", "Depth.", "queue").labels("pay").set(7);
        metrics.histogram("payload_bytes", "Size.", new double[] {100, 1000}, "kind")
                .labels("order")
                .observe(512);
        MartyTimer t = metrics.timer("db_query", "Query time.", "query");
        assertThat(t.name()).isEqualTo("mmf_db_query_seconds");
        assertThat(t.labels("find").time(() -> 42)).isEqualTo(42);
        t.labels("find").record(Duration.ofMillis(30));
        try (MartyTimer.Sample s = t.labels("save").start()) {
            assertThat(s).isNotNull();
        }

        String text = Scrapes.text(registry);
        assertThat(text)
                .contains("mmf_orders_placed_total{channel=\"web\",service=\"orders\"} 3.0")
                .contains("mmf_queue_depth{queue=\"pay\",service=\"orders\"} 7.0")
                .contains("mmf_payload_bytes_bucket{kind=\"order\",service=\"orders\",le=\"1000.0\"} 1")
                .contains("mmf_db_query_seconds_count{query=\"find\",service=\"orders\"} 2")
                .contains("mmf_db_query_seconds_count{query=\"save\",service=\"orders\"} 1");
    }

    @Test
    void seriesCapSendsNewCombinationsToOtherAndCountsThem() {
        MartyCounter c = metrics.counter("logins_total", "Logins.", "user");
        c.labels("a").inc();
        c.labels("b").inc();
        c.labels("c").inc();
        c.labels("d").inc();
        c.labels("a").inc(); // existing series still works
        String text = Scrapes.text(registry);
        assertThat(text)
                .contains("mmf_logins_total{service=\"orders\",user=\"a\"} 2.0")
                .contains("mmf_logins_total{service=\"orders\",user=\"other\"} 2.0")
                .doesNotContain("user=\"c\"")
                .contains("mmf_metric_series_overflow_total{metric=\"mmf_logins_total\",service=\"orders\"} 2.0");
    }

    @Test
    void wrongLabelCountNeverThrows() {
        MartyCounter c = metrics.counter("x_total", "x", "a", "b");
        c.labels("only-one").inc();
        c.labels((String[]) null).inc();
        assertThat(Scrapes.text(registry)).doesNotContain("mmf_x_total{");
    }

    @Test
    void nullLabelValueBecomesNone() {
        metrics.counter("y_total", "y", "a").labels((String) null).inc();
        assertThat(Scrapes.text(registry)).contains("mmf_y_total{a=\"none\",service=\"orders\"} 1.0");
    }

    @Test
    void badDefinitionsFailWithTheName() {
        assertThatThrownBy(() -> metrics.counter("bad-name", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad-name'");
        assertThatThrownBy(() -> metrics.counter("c1_total", "x", "service"))
                .hasMessageContaining("'service'")
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> metrics.counter("c2_total", "x", "a", "a")).hasMessageContaining("duplicated");
        metrics.counter("c3_total", "x", "a");
        assertThatThrownBy(() -> metrics.gauge("c3_total", "x", "a")).hasMessageContaining("already registered");
        assertThatThrownBy(() -> metrics.counter("c3_total", "x", "b")).hasMessageContaining("already registered");
        assertThatThrownBy(() -> metrics.histogram("h", "x", new double[] {1, 1}))
                .hasMessageContaining("strictly increasing");
    }

    @Test
    void closeUnregistersEverything() {
        metrics.counter("z_total", "z").inc();
        metrics.close();
        assertThat(registry.scrape().size()).isZero();
        // a new instance can register the same names again
        MartyMetrics again =
                MartyMetrics.builder().serviceName("orders").registry(registry).build();
        again.counter("z_total", "z").inc();
        assertThat(Scrapes.text(registry)).contains("mmf_z_total{service=\"orders\"} 1.0");
        again.close();
    }
}
