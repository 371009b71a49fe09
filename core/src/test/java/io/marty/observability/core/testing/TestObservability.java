package io.marty.observability.core.testing;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An isolated Marty instance for one test: in-memory spans, own Prometheus registry. Shared with the
 * integration modules through core's test jar.
 */
public final class TestObservability implements AutoCloseable {

    public final InMemorySpanExporter spans = InMemorySpanExporter.create();
    public final PrometheusRegistry registry = new PrometheusRegistry();
    public final MartyObservability observability;

    public TestObservability(String service) {
        observability = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName(service)
                .exporter("none")
                .spanExporter(spans)
                .prometheusRegistry(registry)
                .build());
    }

    public List<SpanData> spans() {
        return spans.getFinishedSpanItems();
    }

    /** Sum of {@code mmf_requests_total} over the series matching all given labels. */
    public double requests(Map<String, String> labels) {
        return sum("mmf_requests", labels);
    }

    public double sum(String metric, Map<String, String> labels) {
        double total = 0;
        for (DataPointSnapshot point : points(metric)) {
            if (matches(point, labels)) {
                total += ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
            }
        }
        return total;
    }

    /** {@code mmf_instrumentation_errors_total} of one component. */
    public double instrumentationErrors(String component) {
        return sum("mmf_instrumentation_errors", Map.of("component", component));
    }

    /** Distinct values of {@code label} in metric {@code metric}. */
    public Set<String> labelValues(String metric, String label) {
        Set<String> values = new HashSet<>();
        for (DataPointSnapshot point : points(metric)) {
            String value = point.getLabels().get(label);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    public List<DataPointSnapshot> points(String metric) {
        MetricSnapshots snapshots = registry.scrape();
        List<DataPointSnapshot> result = new ArrayList<>();
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot.getMetadata().getName().equals(metric)) {
                result.addAll(snapshot.getDataPoints());
            }
        }
        return result;
    }

    private static boolean matches(DataPointSnapshot point, Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(point.getLabels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        observability.close();
    }
}
