package io.marty.observability.core.internal;

import io.marty.observability.core.ObservabilityConfig;
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

/** Internal, unstable. Builds the OTel SDK parts from an {@link ObservabilityConfig}. */
public final class SdkFactory {
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
                exportMetrics.describeSpanQueue(config.spanExportQueueSize(), config.otlpEndpoint());
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
            exportMetrics.describeLogQueue(config.logExportQueueSize(), config.otlpEndpoint());
            b.addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter)
                    .setMaxQueueSize(config.logExportQueueSize())
                    .setMaxExportBatchSize(config.logExportBatchSize())
                    .setScheduleDelay(config.logExportScheduleDelay())
                    .setExporterTimeout(config.logExportTimeout())
                    .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
                    .setMeterProvider(exportMetrics.logMeterProvider())
                    .build());
        }
        return b.build();
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
        MetricExporter exporter;
        if (ObservabilityConfig.PROTOCOL_GRPC.equals(config.otlpProtocol())) {
            OtlpGrpcMetricExporterBuilder g = OtlpGrpcMetricExporter.builder()
                    .setEndpoint(config.otlpEndpoint())
                    .setTimeout(config.otlpTimeout());
            config.otlpHeaders().forEach(g::addHeader);
            exporter = g.build();
        } else {
            OtlpHttpMetricExporterBuilder h = OtlpHttpMetricExporter.builder()
                    .setComponentLoader(JdkHttpSenderLoader.create())
                    .setEndpoint(config.otlpEndpoint() + "/v1/metrics")
                    .setTimeout(config.otlpTimeout());
            config.otlpHeaders().forEach(h::addHeader);
            exporter = h.build();
        }
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
                return LazyExporters.spans(() -> otlpSpanExporter(config));
            case ObservabilityConfig.EXPORTER_LOGGING:
                return LoggingSpanExporter.create();
            default:
                return null;
        }
    }

    private static SpanExporter otlpSpanExporter(ObservabilityConfig config) {
        if (ObservabilityConfig.PROTOCOL_GRPC.equals(config.otlpProtocol())) {
            OtlpGrpcSpanExporterBuilder g = OtlpGrpcSpanExporter.builder()
                    .setEndpoint(config.otlpEndpoint())
                    .setTimeout(config.otlpTimeout());
            config.otlpHeaders().forEach(g::addHeader);
            return g.build();
        }
        OtlpHttpSpanExporterBuilder h = OtlpHttpSpanExporter.builder()
                .setComponentLoader(JdkHttpSenderLoader.create())
                .setEndpoint(config.otlpEndpoint() + "/v1/traces")
                .setTimeout(config.otlpTimeout());
        config.otlpHeaders().forEach(h::addHeader);
        return h.build();
    }

    static LogRecordExporter logRecordExporter(ObservabilityConfig config) {
        switch (config.logsExporter()) {
            case ObservabilityConfig.EXPORTER_OTLP:
                return LazyExporters.logs(() -> otlpLogRecordExporter(config));
            case ObservabilityConfig.EXPORTER_LOGGING:
                return SystemOutLogRecordExporter.create();
            default:
                return null;
        }
    }

    private static LogRecordExporter otlpLogRecordExporter(ObservabilityConfig config) {
        if (ObservabilityConfig.PROTOCOL_GRPC.equals(config.otlpProtocol())) {
            OtlpGrpcLogRecordExporterBuilder g = OtlpGrpcLogRecordExporter.builder()
                    .setEndpoint(config.otlpEndpoint())
                    .setTimeout(config.otlpTimeout());
            config.otlpHeaders().forEach(g::addHeader);
            return g.build();
        }
        OtlpHttpLogRecordExporterBuilder h = OtlpHttpLogRecordExporter.builder()
                .setComponentLoader(JdkHttpSenderLoader.create())
                .setEndpoint(config.otlpEndpoint() + "/v1/logs")
                .setTimeout(config.otlpTimeout());
        config.otlpHeaders().forEach(h::addHeader);
        return h.build();
    }
}
