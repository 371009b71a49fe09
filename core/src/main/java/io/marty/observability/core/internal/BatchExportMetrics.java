package io.marty.observability.core.internal;

import io.marty.observability.core.metrics.MetricNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Internal, unstable. Counts what the SDK's batch processors export and drop, in our Prometheus
 * registry, and warns (rate-limited) when telemetry is dropped.
 *
 * <p>The SDK's {@code BatchSpanProcessor} / {@code BatchLogRecordProcessor} report every finished
 * item on one counter when built with {@link InternalTelemetryVersion#LATEST} ({@value
 * #SPAN_PROCESSED} / {@value #LOG_PROCESSED}): without {@code error.type} when exported, with
 * {@code error.type=queue_full} when dropped at {@code onEnd} because the queue was full, and with
 * the exception class or {@code export_failed} when the export failed. The processors get a {@link
 * MeterProvider} of ours that maps only that counter onto Prometheus counters (all other
 * instruments are no-op), so counts are exact and cost no OTel metrics SDK: dropping a span is one
 * attribute lookup and one counter increment on the caller's thread, nothing blocks.
 */
public final class BatchExportMetrics implements AutoCloseable {
    /** {@link MetricNames#SPANS_EXPORTED_TOTAL}. */
    public static final String SPANS_EXPORTED_TOTAL = MetricNames.SPANS_EXPORTED_TOTAL;
    /** {@link MetricNames#SPANS_DROPPED_TOTAL}. */
    public static final String SPANS_DROPPED_TOTAL = MetricNames.SPANS_DROPPED_TOTAL;
    /** {@link MetricNames#LOG_RECORDS_EXPORTED_TOTAL}. */
    public static final String LOG_RECORDS_EXPORTED_TOTAL = MetricNames.LOG_RECORDS_EXPORTED_TOTAL;
    /** {@link MetricNames#LOG_RECORDS_DROPPED_TOTAL}. */
    public static final String LOG_RECORDS_DROPPED_TOTAL = MetricNames.LOG_RECORDS_DROPPED_TOTAL;
    /** Label: why telemetry was dropped ({@value #REASON_QUEUE_FULL} or {@value #REASON_EXPORT_FAILED}). */
    public static final String LABEL_REASON = "reason";
    /** Reason: the processor's bounded queue was full (export too slow for the span rate). */
    public static final String REASON_QUEUE_FULL = "queue_full";
    /** Reason: the export call failed (endpoint down, refused, timed out, rejected). */
    public static final String REASON_EXPORT_FAILED = "export_failed";

    /** SDK instrument (semconv, {@link InternalTelemetryVersion#LATEST}) of the span processor. */
    static final String SPAN_PROCESSED = "otel.sdk.processor.span.processed";
    /** SDK instrument (semconv, {@link InternalTelemetryVersion#LATEST}) of the log processor. */
    static final String LOG_PROCESSED = "otel.sdk.processor.log.processed";

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final long NEVER_WARNED = Long.MIN_VALUE;
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Logger logger = Logger.getLogger(BatchExportMetrics.class.getName());

    private final PrometheusRegistry registry; // null: counted and logged, not exposed
    private final Counter spansExported;
    private final Counter spansDropped;
    private final Counter logsExported;
    private final Counter logsDropped;
    private final List<Counter> counters;
    private final Signal spans;
    private final Signal logs;

    private BatchExportMetrics(String service, PrometheusRegistry registry) {
        this.registry = registry;
        this.spansExported = counter(SPANS_EXPORTED_TOTAL, "Spans exported successfully.", false);
        this.spansDropped =
                counter(SPANS_DROPPED_TOTAL, "Spans dropped: queue_full (export too slow) or export_failed.", true);
        this.logsExported = counter(LOG_RECORDS_EXPORTED_TOTAL, "OTel log records exported successfully.", false);
        this.logsDropped = counter(
                LOG_RECORDS_DROPPED_TOTAL,
                "OTel log records dropped: queue_full (export too slow) or export_failed.",
                true);
        this.counters = List.of(spansExported, spansDropped, logsExported, logsDropped);
        this.spans = new Signal(
                "spans", "OTEL_BSP_MAX_QUEUE_SIZE", SPANS_DROPPED_TOTAL, spansExported, spansDropped, service);
        this.logs = new Signal(
                "log records",
                "OTEL_BLRP_MAX_QUEUE_SIZE",
                LOG_RECORDS_DROPPED_TOTAL,
                logsExported,
                logsDropped,
                service);
        if (registry != null) {
            for (int i = 0; i < counters.size(); i++) {
                try {
                    registry.register(counters.get(i));
                } catch (RuntimeException e) {
                    for (int j = 0; j < i; j++) {
                        registry.unregister(counters.get(j));
                    }
                    throw e;
                }
            }
        }
    }

    /**
     * Counters for one service, registered in {@code registry}; with a null registry they still
     * count and warn but are not exposed (metrics disabled).
     */
    public static BatchExportMetrics create(String service, PrometheusRegistry registry) {
        return new BatchExportMetrics(service, registry);
    }

    private static Counter counter(String name, String help, boolean withReason) {
        Counter.Builder b = Counter.builder().name(name).help(help);
        return withReason
                ? b.labelNames("service", LABEL_REASON).build()
                : b.labelNames("service").build();
    }

    /** Meter provider for {@code BatchSpanProcessorBuilder.setMeterProvider} (with LATEST telemetry). */
    public MeterProvider spanMeterProvider() {
        return new MappingMeterProvider(SPAN_PROCESSED, spans);
    }

    /** Meter provider for {@code BatchLogRecordProcessorBuilder.setMeterProvider} (with LATEST telemetry). */
    public MeterProvider logMeterProvider() {
        return new MappingMeterProvider(LOG_PROCESSED, logs);
    }

    /** Sets the queue size named in the drop warning. */
    public void describeSpanQueue(int maxQueueSize, String endpoint) {
        spans.describe(maxQueueSize, endpoint);
    }

    /** Sets the queue size named in the drop warning. */
    public void describeLogQueue(int maxQueueSize, String endpoint) {
        logs.describe(maxQueueSize, endpoint);
    }

    /** Unregisters the counters (so that a later start can register them again). */
    @Override
    public void close() {
        if (registry != null) {
            counters.forEach(registry::unregister);
        }
    }

    /** One signal's counters, fed by the SDK through {@link #add(long, Attributes)}. */
    private static final class Signal implements LongCounter {
        private final String what;
        private final String queueVariable;
        private final String droppedMetric;
        private final CounterDataPoint exported;
        private final CounterDataPoint queueFull;
        private final CounterDataPoint exportFailed;
        private final AtomicLong nextWarnNanos = new AtomicLong(NEVER_WARNED);
        private volatile String queueDescription = "";

        Signal(
                String what,
                String queueVariable,
                String droppedMetric,
                Counter exported,
                Counter dropped,
                String service) {
            this.what = what;
            this.queueVariable = queueVariable;
            this.droppedMetric = droppedMetric;
            this.exported = exported.labelValues(service);
            this.queueFull = dropped.labelValues(service, REASON_QUEUE_FULL);
            this.exportFailed = dropped.labelValues(service, REASON_EXPORT_FAILED);
        }

        void describe(int maxQueueSize, String endpoint) {
            queueDescription = " (maxQueueSize=" + maxQueueSize + ", endpoint " + endpoint + ")";
        }

        @Override
        public void add(long value) {
            exported.inc(value);
        }

        @Override
        public void add(long value, Attributes attributes) {
            String error = attributes.get(ERROR_TYPE);
            if (error == null) {
                exported.inc(value);
                return;
            }
            if (REASON_QUEUE_FULL.equals(error)) {
                queueFull.inc(value);
            } else {
                exportFailed.inc(value);
            }
            warnRateLimited(error);
        }

        @Override
        public void add(long value, Attributes attributes, Context context) {
            add(value, attributes);
        }

        /** Logs the first drop, then at most once a minute; the counters carry the exact numbers. */
        private void warnRateLimited(String error) {
            long now = System.nanoTime();
            long next = nextWarnNanos.get();
            if (next != NEVER_WARNED && now - next < 0) {
                return;
            }
            if (!nextWarnNanos.compareAndSet(next, now + WARN_INTERVAL_NANOS)) {
                return; // another thread logs this one
            }
            long full = queueFull.getLongValue();
            long failed = exportFailed.getLongValue();
            logger.log(
                    Level.WARNING,
                    "Dropped {0} {1} so far{2}: {3} because the export queue was full (raise {4}, lower"
                            + " the sample rate or speed up the collector), {5} because the export failed"
                            + " (last error: {6}). Counted in {7}; next warning in a minute at the earliest.",
                    new Object[] {
                        full + failed, what, queueDescription, full, queueVariable, failed, error, droppedMetric
                    });
        }
    }

    /** Hands out one real counter (the processor's "processed" counter); everything else is no-op. */
    private static final class MappingMeterProvider implements MeterProvider, MeterBuilder, Meter {
        private static final Meter NOOP = MeterProvider.noop().get("noop");
        private final String instrument;
        private final Signal signal;

        MappingMeterProvider(String instrument, Signal signal) {
            this.instrument = instrument;
            this.signal = signal;
        }

        @Override
        public MeterBuilder meterBuilder(String instrumentationScopeName) {
            return this;
        }

        @Override
        public MeterBuilder setSchemaUrl(String schemaUrl) {
            return this;
        }

        @Override
        public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
            return this;
        }

        @Override
        public Meter build() {
            return this;
        }

        @Override
        public LongCounterBuilder counterBuilder(String name) {
            LongCounterBuilder noop = NOOP.counterBuilder(name);
            return instrument.equals(name) ? new MappedCounterBuilder(noop, signal) : noop;
        }

        @Override
        public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
            return NOOP.upDownCounterBuilder(name);
        }

        @Override
        public DoubleHistogramBuilder histogramBuilder(String name) {
            return NOOP.histogramBuilder(name);
        }

        @Override
        public DoubleGaugeBuilder gaugeBuilder(String name) {
            return NOOP.gaugeBuilder(name);
        }
    }

    private static final class MappedCounterBuilder implements LongCounterBuilder {
        private final LongCounterBuilder noop;
        private final Signal signal;

        MappedCounterBuilder(LongCounterBuilder noop, Signal signal) {
            this.noop = noop;
            this.signal = signal;
        }

        @Override
        public LongCounterBuilder setDescription(String description) {
            return this;
        }

        @Override
        public LongCounterBuilder setUnit(String unit) {
            return this;
        }

        @Override
        public DoubleCounterBuilder ofDoubles() {
            return noop.ofDoubles();
        }

        @Override
        public LongCounter build() {
            return signal;
        }

        @Override
        public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
            return noop.buildWithCallback(callback);
        }
    }
}
