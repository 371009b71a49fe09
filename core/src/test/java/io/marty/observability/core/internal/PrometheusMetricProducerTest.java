package io.marty.observability.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.MartyMetrics;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrometheusMetricProducerTest {

    @Test
    void convertsCountersGaugesInfoAndClassicHistograms() {
        PrometheusRegistry registry = new PrometheusRegistry();
        MartyMetrics metrics =
                MartyMetrics.builder().serviceName("shop").registry(registry).build();
        metrics.red().record(Protocol.HTTP, Direction.SERVER, "GET", "/cart", "200", Outcome.SUCCESS, 0.003);
        metrics.red().record(Protocol.HTTP, Direction.SERVER, "GET", "/cart", "200", Outcome.SUCCESS, 0.7);
        metrics.gauge("queue_depth", "Depth.", "queue").labels("a").set(4);

        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .registerMetricProducer(new PrometheusMetricProducer(registry))
                .registerMetricReader(reader)
                .build();
        Collection<MetricData> collected = reader.collectAllMetrics();
        Map<String, MetricData> byName =
                collected.stream().collect(Collectors.toMap(MetricData::getName, Function.identity(), (a, b) -> b));

        MetricData requests = byName.get("mmf_requests_total");
        assertThat(requests.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
        assertThat(requests.getDoubleSumData().isMonotonic()).isTrue();
        assertThat(requests.getDoubleSumData().getPoints()).singleElement().satisfies(p -> {
            assertThat(p.getValue()).isEqualTo(2.0);
            assertThat(p.getAttributes().asMap().toString())
                    .contains("route=/cart")
                    .contains("service=shop");
        });
        HistogramPointData h = byName.get("mmf_request_duration_seconds")
                .getHistogramData()
                .getPoints()
                .iterator()
                .next();
        assertThat(h.getCount()).isEqualTo(2);
        assertThat(h.getSum()).isEqualTo(0.703, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.getBoundaries()).hasSize(11).startsWith(0.005).endsWith(10.0);
        assertThat(h.getCounts()).containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(byName.get("mmf_queue_depth").getDoubleGaugeData().getPoints())
                .singleElement()
                .satisfies(p -> assertThat(p.getValue()).isEqualTo(4.0));
        assertThat(byName.get("mmf_service_build_info").getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
        assertThat(requests.getResource()).isEqualTo(Resource.getDefault());
        provider.close();
        metrics.close();
    }
}
