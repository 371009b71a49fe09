package io.marty.observability.benchmarks.hotpath;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/**
 * Starts the framework the way a service does (sampling 1.0, isolated Prometheus registry, no Prometheus
 * port), with a span exporter that only counts, so the benchmarks see the real span pipeline without I/O.
 */
final class HotPathState {

    private HotPathState() {}

    static MartyObservability start(double sampleRate) {
        return MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("bench")
                .environment("production")
                .sampleRate(sampleRate)
                .spanExporter(new CountingExporter())
                .prometheusRegistry(new PrometheusRegistry())
                .prometheusPort(ObservabilityConfig.PROMETHEUS_DISABLED)
                .registerGlobal(false)
                .build());
    }

    /** A span exporter that counts and drops. */
    static final class CountingExporter implements SpanExporter {
        final LongAdder exported = new LongAdder();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.add(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
