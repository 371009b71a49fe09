package io.marty.observability.core;

import io.marty.observability.core.health.HealthRegistry;
import io.marty.observability.core.internal.BatchExportMetrics;
import io.marty.observability.core.internal.ExportMasking;
import io.marty.observability.core.internal.MdcContextStorage;
import io.marty.observability.core.internal.RuntimeMetrics;
import io.marty.observability.core.internal.SdkFactory;
import io.marty.observability.core.internal.ThreadPoolMetrics;
import io.marty.observability.core.metrics.MartyMetrics;
import io.marty.observability.core.tracing.Tracing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running observability of one service: OTel SDK (traces, logs bridge, propagators), Prometheus
 * metrics (RED + custom, JVM/process unless {@link ObservabilityConfig#jvmMetrics()} is off, thread
 * pools wrapped by {@code ContextExecutors.wrap(name, pool)}), correlation (MDC view) and health checks. One instance per JVM at a time;
 * {@link #close()} flushes within {@link ObservabilityConfig#shutdownTimeout()} and allows a new
 * {@link #start}.
 *
 * <pre>{@code
 * try (MartyObservability obs = MartyObservability.start(
 *         ObservabilityConfig.builderFromEnvironment().serviceName("orders").prometheusPort(9464).build())) {
 *     obs.tracing().trace("startup", () -> warmUp());
 *     obs.metrics().counter("orders_total", "Orders.", "channel").labels("web").inc();
 *     ... serve ...
 * }
 * }</pre>
 */
public final class MartyObservability implements AutoCloseable {
    private static final Logger logger = Logger.getLogger(MartyObservability.class.getName());
    private static final AtomicReference<MartyObservability> CURRENT = new AtomicReference<>();

    private final ObservabilityConfig config;
    private final OpenTelemetrySdk sdk;
    private final SdkTracerProvider tracerProvider;
    private final SdkLoggerProvider loggerProvider;
    private final SdkMeterProvider meterProvider; // null unless the OTLP metrics push is on
    private final MartyMetrics metrics;
    private final Tracing tracing;
    private final HealthRegistry health;
    private final HTTPServer prometheusServer;
    private final PrometheusRegistry registry;
    private final MultiCollector threadPools; // null when metrics are off
    private final MultiCollector jvm; // null when metrics or JVM metrics are off
    private final BatchExportMetrics exportMetrics;
    private final ExportMasking masking = new ExportMasking();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MartyObservability(ObservabilityConfig config) {
        MdcContextStorage.install();
        this.config = config;
        Resource resource = SdkFactory.resource(config);
        PrometheusRegistry registry =
                config.prometheusRegistry() != null ? config.prometheusRegistry() : PrometheusRegistry.defaultRegistry;
        this.exportMetrics = BatchExportMetrics.create(config.serviceName(), config.metricsEnabled() ? registry : null);
        this.tracerProvider = SdkFactory.tracerProvider(config, resource, exportMetrics, masking);
        this.loggerProvider = SdkFactory.loggerProvider(config, resource, exportMetrics, masking);
        this.meterProvider = SdkFactory.meterProvider(config, resource, registry);
        OpenTelemetrySdkBuilder sdkBuilder = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setLoggerProvider(loggerProvider)
                .setPropagators(MartyPropagators.create(config));
        if (meterProvider != null) {
            sdkBuilder.setMeterProvider(meterProvider);
        }
        this.sdk = sdkBuilder.build();
        MartyMetrics m = null;
        HTTPServer server = null;
        try {
            m = MartyMetrics.builder()
                    .serviceName(config.serviceName())
                    .serviceVersion(config.serviceVersion())
                    .environment(config.environment())
                    .registry(registry)
                    .maxSeriesPerMetric(config.maxSeriesPerMetric())
                    .enabled(config.metricsEnabled())
                    .build();
            if (config.prometheusPort() != ObservabilityConfig.PROMETHEUS_DISABLED) {
                HTTPServer.Builder hb =
                        HTTPServer.builder().port(config.prometheusPort()).registry(registry);
                if (config.prometheusHost() != null) {
                    hb.hostname(config.prometheusHost());
                }
                server = hb.buildAndStart();
            }
        } catch (IOException | RuntimeException e) {
            if (m != null) {
                m.close();
            }
            exportMetrics.close();
            sdk.shutdown().join(1, TimeUnit.SECONDS);
            if (e instanceof IOException) {
                throw new ObservabilityConfigException(
                        "prometheusPort",
                        String.valueOf(config.prometheusPort()),
                        "cannot start the Prometheus HTTP server: " + e.getMessage());
            }
            throw (RuntimeException) e;
        }
        this.metrics = m;
        this.prometheusServer = server;
        this.registry = registry;
        this.threadPools = config.metricsEnabled() ? ThreadPoolMetrics.collector(config.serviceName()) : null;
        this.jvm =
                config.metricsEnabled() && config.jvmMetrics() ? RuntimeMetrics.collector(config.serviceName()) : null;
        if (threadPools != null) {
            registry.register(threadPools);
        }
        if (jvm != null) {
            registry.register(jvm);
        }
        this.tracing = Tracing.create(sdk);
        this.health = HealthRegistry.create(config.healthCheckTimeout());
        if (!MdcContextStorage.isActive()) {
            logger.warning("OpenTelemetry context storage was initialised before Marty could wrap it;"
                    + " the MDC will not mirror the correlation context");
        }
    }

    /**
     * Starts observability for this JVM.
     *
     * @throws IllegalStateException when an instance is already running (close it first)
     * @throws ObservabilityConfigException when the Prometheus port cannot be bound
     */
    public static MartyObservability start(ObservabilityConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (CURRENT) {
            MartyObservability running = CURRENT.get();
            if (running != null) {
                throw new IllegalStateException("MartyObservability is already started for service '"
                        + running.config.serviceName() + "'; close() it before starting again");
            }
            MartyObservability obs = new MartyObservability(config);
            if (config.registerGlobal()) {
                try {
                    GlobalOpenTelemetry.set(obs.sdk);
                } catch (IllegalStateException e) {
                    obs.close();
                    throw new IllegalStateException(
                            "registerGlobal=true but GlobalOpenTelemetry was already set in this JVM", e);
                }
            }
            CURRENT.set(obs);
            return obs;
        }
    }

    /** The running instance, if any. */
    public static Optional<MartyObservability> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The OpenTelemetry SDK (tracer/logger providers, Marty's propagators). */
    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** Metrics facade (RED metrics, custom metric factory, registry). */
    public MartyMetrics metrics() {
        return metrics;
    }

    /** Span helpers. */
    public Tracing tracing() {
        return tracing;
    }

    /** Health check registry. */
    public HealthRegistry health() {
        return health;
    }

    /** The configuration this instance was started with. */
    public ObservabilityConfig config() {
        return config;
    }

    /** Bound port of the Prometheus {@code /metrics} server, or -1 when none runs. */
    public int prometheusPort() {
        return prometheusServer == null ? -1 : prometheusServer.getPort();
    }

    /**
     * Masks exception text, span status descriptions and string log bodies with {@code masker} in
     * everything exported from now on (see {@link TelemetryMasker}). {@code MartyLogging.install}
     * sets the logging module's {@code PiiMasker} here; {@link TelemetryMasker#NONE} turns it off.
     */
    public void setTelemetryMasker(TelemetryMasker masker) {
        masking.set(masker);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Flushes pending spans and log records and shuts everything down, within {@link
     * ObservabilityConfig#shutdownTimeout()} in total; idempotent. Afterwards {@link #start} may be
     * called again.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        try {
            List<CompletableResultCode> flushes =
                    new ArrayList<>(List.of(tracerProvider.forceFlush(), loggerProvider.forceFlush()));
            if (meterProvider != null) {
                flushes.add(meterProvider.forceFlush());
            }
            CompletableResultCode done = CompletableResultCode.ofAll(flushes);
            done.join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            // OpenTelemetrySdk.shutdown() covers the tracer, meter and logger providers
            CompletableResultCode shut = sdk.shutdown();
            shut.join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            if (!done.isSuccess() || !shut.isSuccess()) {
                logger.log(
                        Level.WARNING,
                        "observability shutdown did not complete within {0}; unexported telemetry was dropped",
                        config.shutdownTimeout());
            }
        } finally {
            if (prometheusServer != null) {
                prometheusServer.stop();
            }
            if (threadPools != null) {
                registry.unregister(threadPools);
            }
            if (jvm != null) {
                registry.unregister(jvm);
            }
            metrics.close();
            exportMetrics.close();
            health.close();
            CURRENT.compareAndSet(this, null);
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    @Override
    public String toString() {
        return "MartyObservability{" + config + (closed.get() ? ", closed" : "") + "}";
    }
}
