package io.marty.observability.core.internal;

import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.config.OtlpExporterSettings;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.logging.SystemOutLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Internal, unstable. Builds the OTel SDK parts from an {@link ObservabilityConfig}. */
public final class SdkFactory {
    /**
     * How long after {@code start} the OTLP exporters are built in the background. Built alongside
     * {@code start}, the build cost its thread ~70 ms on two cores; 500 ms later it still overlapped
     * the startup of the Jetty and gRPC benchmark services (first response 0.8 and 1.5 s after the
     * JVM started). Two seconds clears those, and the exporter is ready about half a second later;
     * an export that comes first builds it itself (see {@code LazyExporters}).
     */
    static final Duration EXPORTER_BUILD_DELAY = Duration.ofSeconds(2);

    private SdkFactory() {}

    /** Resource: SDK defaults, extra attributes, then service name/version/environment/instance. */
    public static Resource resource(ObservabilityConfig config) {
        AttributesBuilder extra = Attributes.builder();
        config.resourceAttributes().forEach(extra::put);
        Attributes service = Attributes.builder()
                .put("service.name", config.serviceName())
                .put("service.version", config.serviceVersion())
                .put("deployment.environment.name", config.environment())
                .put("service.instance.id", config.serviceInstanceId())
                .build();
        return Resource.getDefault().merge(Resource.create(extra.build())).merge(Resource.create(service));
    }

    /** The sampler: ratio (always-on/off at 1/0), parent-based unless configured otherwise. */
    public static Sampler sampler(ObservabilityConfig config) {
        double rate = config.sampleRate();
        Sampler root =
                rate >= 1.0 ? Sampler.alwaysOn() : rate <= 0.0 ? Sampler.alwaysOff() : Sampler.traceIdRatioBased(rate);
        return config.parentBasedSampling() ? Sampler.parentBased(root) : root;
    }

    /**
     * The tracer provider with correlation attributes and the configured exporter. The batch
     * processor reports exported and dropped spans to {@code exportMetrics}.
     */
    public static SdkTracerProvider tracerProvider(
            ObservabilityConfig config, Resource resource, BatchExportMetrics exportMetrics, ExportMasking masking) {
        SdkTracerProviderBuilder b = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(config.tracingEnabled() ? sampler(config) : Sampler.alwaysOff())
                .setSpanLimits(config.tracing().spanLimits())
                .addSpanProcessor(new CorrelationSpanProcessor());
        if (!config.tracingEnabled()) {
            return b.build();
        }
        if (config.spanExporter() != null) {
            // test hook: synchronous export so that spans are visible as soon as they end
            b.addSpanProcessor(
                    SimpleSpanProcessor.create(masking.spans(CallerOwnedExporters.spans(config.spanExporter()))));
        } else {
            SpanExporter exporter = masking.spans(spanExporter(config));
            if (exporter != null) {
                exportMetrics.describeSpanQueue(
                        config.spanExportQueueSize(), config.otlp().traces().endpoint());
                b.addSpanProcessor(BatchSpanProcessor.builder(exporter)
                        .setMaxQueueSize(config.spanExportQueueSize())
                        .setMaxExportBatchSize(config.spanExportBatchSize())
                        .setScheduleDelay(config.spanExportScheduleDelay())
                        .setExporterTimeout(config.spanExportTimeout())
                        // LATEST: one "processed" counter with error.type=queue_full|<failure>
                        .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
                        .setMeterProvider(exportMetrics.spanMeterProvider())
                        .build());
            }
        }
        if (config.debug() && !ObservabilityConfig.EXPORTER_LOGGING.equals(config.tracesExporter())) {
            b.addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()));
        }
        return b.build();
    }

    /** The logger provider for the OTel logs bridge (used by the logging module). */
    public static SdkLoggerProvider loggerProvider(
            ObservabilityConfig config, Resource resource, BatchExportMetrics exportMetrics, ExportMasking masking) {
        SdkLoggerProviderBuilder b = SdkLoggerProvider.builder().setResource(resource);
        LogRecordExporter exporter = masking.logs(
                config.logRecordExporter() != null
                        ? CallerOwnedExporters.logs(config.logRecordExporter())
                        : logRecordExporter(config));
        if (exporter != null) {
            exportMetrics.describeLogQueue(
                    config.logExportQueueSize(), config.otlp().logs().endpoint());
            b.addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter)
                    .setMaxQueueSize(config.logExportQueueSize())
                    .setMaxExportBatchSize(config.logExportBatchSize())
                    .setScheduleDelay(config.logExportScheduleDelay())
                    .setExporterTimeout(config.logExportTimeout())
                    .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
                    .setMeterProvider(exportMetrics.logMeterProvider())
                    .build());
        }
        LogLimits limits = config.logs().logLimits();
        return b.setLogLimits(() -> limits).build();
    }

    /**
     * The meter provider: the Prometheus registry pushed over OTLP when {@code otlpMetrics} is on
     * (plus whatever the application records through the OTel metrics API); else null.
     */
    public static SdkMeterProvider meterProvider(
            ObservabilityConfig config, Resource resource, PrometheusRegistry registry) {
        if (!config.otlpMetrics() || !config.metricsEnabled()) {
            return null;
        }
        MetricExporter exporter = otlpMetricExporter(config.otlp().metrics());
        return SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricProducer(new PrometheusMetricProducer(registry))
                .registerMetricReader(PeriodicMetricReader.builder(exporter)
                        .setInterval(config.metricsExportInterval())
                        .build())
                .build();
    }

    static SpanExporter spanExporter(ObservabilityConfig config) {
        switch (config.tracesExporter()) {
            case ObservabilityConfig.EXPORTER_OTLP:
                SpanExporter otlp =
                        LazyExporters.spans(() -> otlpSpanExporter(config.otlp().traces()));
                LazyExporters.buildInBackground(
                        otlp, EXPORTER_BUILD_DELAY, config.otlp().traces().endpoint());
                return otlp;
            case ObservabilityConfig.EXPORTER_LOGGING:
                return LoggingSpanExporter.create();
            default:
                return null;
        }
    }

    /*
     * One builder per signal and protocol: the OTLP exporter builders share no interface. Each
     * applies the signal's resolved settings (endpoint, headers, compression, timeout, TLS).
     */

    private static SpanExporter otlpSpanExporter(OtlpExporterSettings s) {
        if (s.isGrpc()) {
            OtlpGrpcSpanExporterBuilder g = OtlpGrpcSpanExporter.builder()
                    .setEndpoint(s.endpoint())
                    .setTimeout(s.timeout())
                    .setCompression(s.compression());
            s.headers().forEach(g::addHeader);
            tls(s, g::setTrustedCertificates, g::setClientTls);
            return g.build();
        }
        OtlpHttpSpanExporterBuilder h = OtlpHttpSpanExporter.builder()
                .setComponentLoader(JdkHttpSenderLoader.create())
                .setEndpoint(s.endpoint())
                .setTimeout(s.timeout())
                .setCompression(s.compression());
        s.headers().forEach(h::addHeader);
        tls(s, h::setTrustedCertificates, h::setClientTls);
        return h.build();
    }

    private static MetricExporter otlpMetricExporter(OtlpExporterSettings s) {
        if (s.isGrpc()) {
            OtlpGrpcMetricExporterBuilder g = OtlpGrpcMetricExporter.builder()
                    .setEndpoint(s.endpoint())
                    .setTimeout(s.timeout())
                    .setCompression(s.compression());
            s.headers().forEach(g::addHeader);
            tls(s, g::setTrustedCertificates, g::setClientTls);
            return g.build();
        }
        OtlpHttpMetricExporterBuilder h = OtlpHttpMetricExporter.builder()
                .setComponentLoader(JdkHttpSenderLoader.create())
                .setEndpoint(s.endpoint())
                .setTimeout(s.timeout())
                .setCompression(s.compression());
        s.headers().forEach(h::addHeader);
        tls(s, h::setTrustedCertificates, h::setClientTls);
        return h.build();
    }

    static LogRecordExporter logRecordExporter(ObservabilityConfig config) {
        switch (config.logsExporter()) {
            case ObservabilityConfig.EXPORTER_OTLP:
                LogRecordExporter otlp = LazyExporters.logs(
                        () -> otlpLogRecordExporter(config.otlp().logs()));
                LazyExporters.buildInBackground(
                        otlp, EXPORTER_BUILD_DELAY, config.otlp().logs().endpoint());
                return otlp;
            case ObservabilityConfig.EXPORTER_LOGGING:
                return SystemOutLogRecordExporter.create();
            default:
                return null;
        }
    }

    private static LogRecordExporter otlpLogRecordExporter(OtlpExporterSettings s) {
        if (s.isGrpc()) {
            OtlpGrpcLogRecordExporterBuilder g = OtlpGrpcLogRecordExporter.builder()
                    .setEndpoint(s.endpoint())
                    .setTimeout(s.timeout())
                    .setCompression(s.compression());
            s.headers().forEach(g::addHeader);
            tls(s, g::setTrustedCertificates, g::setClientTls);
            return g.build();
        }
        OtlpHttpLogRecordExporterBuilder h = OtlpHttpLogRecordExporter.builder()
                .setComponentLoader(JdkHttpSenderLoader.create())
                .setEndpoint(s.endpoint())
                .setTimeout(s.timeout())
                .setCompression(s.compression());
        s.headers().forEach(h::addHeader);
        tls(s, h::setTrustedCertificates, h::setClientTls);
        return h.build();
    }

    /** Passes the PEM files (checked when the config was built) to an exporter builder. */
    private static void tls(
            OtlpExporterSettings s, Consumer<byte[]> trustedCertificates, BiConsumer<byte[], byte[]> clientTls) {
        if (s.trustedCertificates() != null) {
            trustedCertificates.accept(read(s.trustedCertificates()));
        }
        if (s.clientKey() != null && s.clientCertificate() != null) {
            clientTls.accept(read(s.clientKey()), read(s.clientCertificate()));
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
