package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.config.ConfigSource;
import io.marty.observability.spring.boot.MartyProperties;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@code marty.*} onto {@link ObservabilityConfig.Builder}: a property that is set wins, an unset
 * one leaves the builder to its {@link ConfigSource} ({@code OTEL_*}/{@code MMF_*} and their
 * system properties), then to core's default.
 */
public final class PropertiesMapping {

    /** core's builder property names (the keys of its validation errors) to the Spring property. */
    private static final Map<String, String> PROPERTY_OF_KEY = Map.ofEntries(
            Map.entry("serviceName", "marty.service.name"),
            Map.entry("serviceVersion", "marty.service.version"),
            Map.entry("environment", "marty.service.environment"),
            Map.entry("serviceInstanceId", "marty.service.instance-id"),
            Map.entry("resourceAttribute", "marty.service.resource-attributes"),
            Map.entry("tracingEnabled", "marty.tracing.enabled"),
            Map.entry("tracesExporter", "marty.tracing.exporter"),
            Map.entry("sampleRate", "marty.tracing.sampling-ratio"),
            Map.entry("parentBasedSampling", "marty.tracing.parent-based"),
            Map.entry("b3Propagation", "marty.tracing.b3"),
            Map.entry("otlpEndpoint", "marty.otlp.endpoint"),
            Map.entry("otlpProtocol", "marty.otlp.protocol"),
            Map.entry("otlpHeader", "marty.otlp.headers"),
            Map.entry("otlpTimeout", "marty.otlp.timeout"),
            Map.entry("metricsEnabled", "marty.metrics.enabled"),
            Map.entry("jvmMetrics", "marty.metrics.jvm"),
            Map.entry("maxSeriesPerMetric", "marty.metrics.max-series-per-metric"),
            Map.entry("otlpMetrics", "marty.metrics.otlp-push"),
            Map.entry("metricsExportInterval", "marty.metrics.export-interval"),
            Map.entry("prometheusPort", "marty.metrics.prometheus-port"),
            Map.entry("logsExporter", "marty.logs.exporter"));

    private PropertiesMapping() {}

    /**
     * A builder reading {@code source} for unset values, with every set property applied.
     *
     * @param applicationName {@code spring.application.name}, the service name when neither
     *     {@code marty.service.name} nor the environment gives one
     */
    public static ObservabilityConfig.Builder builder(
            MartyProperties properties, ConfigSource source, @Nullable String applicationName) {
        ObservabilityConfig.Builder b = ObservabilityConfig.builder(source);
        MartyProperties.Service service = properties.getService();
        String name = service.getName();
        if (name == null
                && applicationName != null
                && !applicationName.isBlank()
                && source.get("OTEL_SERVICE_NAME") == null
                && source.get("MMF_SERVICE_NAME") == null) {
            name = applicationName;
        }
        set(name, b::serviceName);
        set(service.getVersion(), b::serviceVersion);
        set(service.getEnvironment(), b::environment);
        set(service.getInstanceId(), b::serviceInstanceId);
        service.getResourceAttributes().forEach(b::resourceAttribute);

        MartyProperties.Tracing tracing = properties.getTracing();
        set(tracing.getEnabled(), b::tracingEnabled);
        set(tracing.getExporter(), b::tracesExporter);
        set(tracing.getSamplingRatio(), b::sampleRate);
        set(tracing.getParentBased(), b::parentBasedSampling);
        set(tracing.getB3(), b::b3Propagation);

        MartyProperties.Otlp otlp = properties.getOtlp();
        set(otlp.getEndpoint(), b::otlpEndpoint);
        set(otlp.getProtocol(), b::otlpProtocol);
        otlp.getHeaders().forEach(b::otlpHeader);
        set(otlp.getTimeout(), b::otlpTimeout);

        MartyProperties.Metrics metrics = properties.getMetrics();
        set(metrics.getEnabled(), b::metricsEnabled);
        set(metrics.getJvm(), b::jvmMetrics);
        set(metrics.getMaxSeriesPerMetric(), b::maxSeriesPerMetric);
        set(metrics.getOtlpPush(), b::otlpMetrics);
        set(metrics.getExportInterval(), b::metricsExportInterval);
        set(metrics.getPrometheusPort(), b::prometheusPort);

        set(properties.getLogs().getExporter(), b::logsExporter);
        return b;
    }

    /**
     * The Spring property behind one of core's validation keys, or {@code null} when the key is an
     * environment variable (or has no property).
     */
    public static @Nullable String propertyOf(String key) {
        return PROPERTY_OF_KEY.get(key);
    }

    private static <T> void set(@Nullable T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
