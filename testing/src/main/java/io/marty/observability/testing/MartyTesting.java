package io.marty.observability.testing;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A {@link MartyObservability} for one test: spans and log records go to in-memory exporters, metrics
 * to a registry of its own; nothing leaves the process (exporter {@code none}, no Prometheus server,
 * not registered as {@code GlobalOpenTelemetry}). What was recorded stays readable after {@link
 * #close()}.
 *
 * <pre>{@code
 * try (MartyTesting marty = MartyTesting.start("orders")) {
 *     HttpClient client = MartyHttpClient.wrap(HttpClient.newHttpClient(), marty.observability());
 *     client.send(request, BodyHandlers.ofString());
 *     assertThat(marty.spans()).extracting(SpanData::getKind).containsExactly(SpanKind.CLIENT);
 *     assertThat(marty.requests(Map.of("direction", "client", "status", "200"))).isEqualTo(1.0);
 *     assertThat(marty.metricsText()).contains("mmf_request_duration_seconds_bucket{");
 * }
 * }</pre>
 *
 * <p>Only one {@code MartyObservability} runs in a JVM at a time, so tests using this class must not
 * run concurrently with each other. In JUnit 5, {@link MartyObservabilityExtension} starts and closes
 * one per test.
 */
public final class MartyTesting implements AutoCloseable {
    /** Service name when none is given. */
    public static final String DEFAULT_SERVICE_NAME = "test-service";

    private final InMemorySpanExporter spanExporter = InMemorySpanExporter.create();
    private final InMemoryLogRecordExporter logExporter = InMemoryLogRecordExporter.create();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MartyObservability observability;

    private MartyTesting(Builder b) {
        ObservabilityConfig.Builder config = ObservabilityConfig.builder().serviceName(b.serviceName);
        b.settings.accept(config);
        this.observability = MartyObservability.start(config.exporter(ObservabilityConfig.EXPORTER_NONE)
                .spanExporter(spanExporter)
                .logRecordExporter(logExporter)
                .prometheusRegistry(registry)
                .build());
    }

    /** Starts an instance for {@value #DEFAULT_SERVICE_NAME}. */
    public static MartyTesting start() {
        return builder().start();
    }

    /** Starts an instance whose {@code service.name} and {@code service} label are {@code serviceName}. */
    public static MartyTesting start(String serviceName) {
        return builder().serviceName(serviceName).start();
    }

    /** For further settings (sampling, environment, series caps, ...). */
    public static Builder builder() {
        return new Builder();
    }

    /** The running instance: pass it to filters, interceptors, {@code SloTracker.attachTo}, ... */
    public MartyObservability observability() {
        return observability;
    }

    /** Spans ended so far, in end order (spans are exported synchronously when they end). */
    public List<SpanData> spans() {
        return spanExporter.getFinishedSpanItems();
    }

    /**
     * The first ended span of this kind and name, waiting up to 10 s for it (spans of the other side of
     * a call may end after the call returned).
     *
     * @throws AssertionError naming the kind and name, and listing the spans seen, when none arrives
     */
    public SpanData awaitSpan(SpanKind kind, String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (SpanData span : spans()) {
                if (span.getKind() == kind && span.getName().equals(name)) {
                    return span;
                }
            }
            if (System.nanoTime() > deadline) {
                List<String> seen = new ArrayList<>();
                spans().forEach(s -> seen.add(s.getKind() + " " + s.getName()));
                throw new AssertionError("no " + kind + " span '" + name + "' within 10 s; spans: " + seen);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Log records emitted so far; flushes the batch log processor first. */
    public List<LogRecordData> logs() {
        if (!observability.isClosed() && observability.openTelemetry() instanceof OpenTelemetrySdk sdk) {
            sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        }
        return logExporter.getFinishedLogRecordItems();
    }

    /** This instance's own registry (RED metrics, custom metrics, export counters). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The registry in the Prometheus text format, as {@code /metrics} would serve it. */
    public String metricsText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Data points of {@code metric} (the name with or without the {@code _total} suffix of counters),
     * empty when it has none.
     */
    public List<DataPointSnapshot> points(String metric) {
        String name = baseName(metric);
        List<DataPointSnapshot> result = new ArrayList<>();
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot.getMetadata().getName().equals(name)) {
                result.addAll(snapshot.getDataPoints());
            }
        }
        return result;
    }

    /**
     * Sum of the values of the counter or gauge {@code metric} over the series whose labels include
     * all of {@code labels}; 0 when none matches.
     *
     * @throws IllegalArgumentException when {@code metric} is neither a counter nor a gauge
     */
    public double sum(String metric, Map<String, String> labels) {
        double total = 0;
        for (DataPointSnapshot point : points(metric)) {
            if (!matches(point, labels)) {
                continue;
            }
            if (point instanceof CounterDataPointSnapshot counter) {
                total += counter.getValue();
            } else if (point instanceof GaugeDataPointSnapshot gauge) {
                total += gauge.getValue();
            } else {
                throw new IllegalArgumentException("metric '" + metric + "' is not a counter or gauge but has "
                        + point.getClass().getSimpleName() + " points; read them with points(...)");
            }
        }
        return total;
    }

    /** {@code mmf_requests_total} summed over the series whose labels include all of {@code labels}. */
    public double requests(Map<String, String> labels) {
        return sum("mmf_requests", labels);
    }

    /**
     * Failures counted in {@code mmf_instrumentation_errors_total} for {@code component} (one of the
     * {@code InstrumentationErrors} constants, e.g. {@code "http_server"}).
     */
    public double instrumentationErrors(String component) {
        return observability.metrics().instrumentationErrors().count(component);
    }

    /** Distinct values of {@code label} over the series of {@code metric}, sorted. */
    public Set<String> labelValues(String metric, String label) {
        Set<String> values = new TreeSet<>();
        for (DataPointSnapshot point : points(metric)) {
            String value = point.getLabels().get(label);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** Forgets the spans and log records recorded so far (metrics keep counting). */
    public void reset() {
        logs(); // so that records still in the batch queue do not show up after the reset
        spanExporter.reset();
        logExporter.reset();
    }

    /** Closes the instance (flushing logs); what was recorded stays readable. Idempotent. */
    @Override
    public void close() {
        observability.close();
    }

    @Override
    public String toString() {
        return "MartyTesting{" + observability.config().serviceName() + (observability.isClosed() ? ", closed" : "")
                + "}";
    }

    private static String baseName(String metric) {
        Objects.requireNonNull(metric, "metric");
        return metric.endsWith("_total") ? metric.substring(0, metric.length() - "_total".length()) : metric;
    }

    private static boolean matches(DataPointSnapshot point, Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(point.getLabels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Settings of a {@link MartyTesting}; reusable, each {@link #start()} starts a fresh instance. */
    public static final class Builder {
        private String serviceName = DEFAULT_SERVICE_NAME;
        private Consumer<ObservabilityConfig.Builder> settings = config -> {};

        private Builder() {}

        /** {@code service.name} and the {@code service} label (default {@value MartyTesting#DEFAULT_SERVICE_NAME}). */
        public Builder serviceName(String serviceName) {
            this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
            return this;
        }

        /**
         * Further configuration, e.g. {@code config -> config.sampleRate(0.1).environment("staging")}.
         * The exporters and the registry are always the in-memory ones: settings for them are replaced.
         */
        public Builder configure(Consumer<ObservabilityConfig.Builder> settings) {
            this.settings = this.settings.andThen(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /**
         * Starts a fresh instance.
         *
         * @throws IllegalStateException when a {@code MartyObservability} is already running in this JVM
         */
        public MartyTesting start() {
            return new MartyTesting(this);
        }
    }
}
