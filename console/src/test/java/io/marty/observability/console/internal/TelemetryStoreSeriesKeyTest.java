package io.marty.observability.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.console.ConsoleMetricPoint;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The series key of a metric point is built once per series and request, not once per point. */
class TelemetryStoreSeriesKeyTest {

    private static final IngestLimits LIMITS = new IngestLimits(4 << 20, 64, 4096, 1024, 128, 50_000);

    @Test
    void aRequestBuildsOneKeyPerSeriesNotPerPoint() {
        TelemetryStore store = new TelemetryStore(100_000, 100_000, 100_000, 1L << 30);
        // 3 000 histogram points of one metric, interleaving two attribute sets: two series
        List<ConsoleMetricPoint> points = convert(histogram("http.server.duration", 3000, "GET", "POST"));
        assertThat(points).hasSize(3000);

        store.addMetrics(points);

        assertThat(store.seriesKeysBuilt()).isEqualTo(2);
        String get = points.get(0).seriesKey();
        String post = points.get(1).seriesKey();
        assertThat(get).isNotEqualTo(post);
        assertThat(store.metrics().byKey(1, "shop")).hasSize(3000);
        assertThat(store.metrics().byKey(0, get))
                .hasSize(1500)
                .allSatisfy(p -> assertThat(p.attributes()).containsEntry("method", "GET"));
        assertThat(store.metrics().byKey(0, post))
                .hasSize(1500)
                .allSatisfy(p -> assertThat(p.attributes()).containsEntry("method", "POST"));
        assertThat(store.metrics().keyCount(0)).isEqualTo(2);

        // the next request builds its own keys (two), and its points join the same two series
        store.addMetrics(convert(histogram("http.server.duration", 10, "GET", "POST")));
        assertThat(store.seriesKeysBuilt()).isEqualTo(4);
        assertThat(store.metrics().keyCount(0)).isEqualTo(2);
        assertThat(store.metrics().byKey(0, get)).hasSize(1505);
    }

    private static List<ConsoleMetricPoint> convert(ExportMetricsServiceRequest req) {
        OtlpConverter.Result<ConsoleMetricPoint> r = OtlpConverter.metrics(req, LIMITS, new IngestLimits.Dropped());
        assertThat(r.rejected()).isZero();
        return r.accepted();
    }

    private static ExportMetricsServiceRequest histogram(String name, int points, String... methods) {
        Histogram.Builder h = Histogram.newBuilder();
        for (int i = 0; i < points; i++) {
            h.addDataPoints(HistogramDataPoint.newBuilder()
                    .setTimeUnixNano(1_000_000_000L + i)
                    .setCount(1)
                    .setSum(i)
                    .addAttributes(kv("method", methods[i % methods.length]))
                    .addAttributes(kv("route", "/orders/{id}")));
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "shop")))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName(name).setHistogram(h))))
                .build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }
}
