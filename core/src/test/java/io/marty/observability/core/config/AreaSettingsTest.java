package io.marty.observability.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.marty.observability.core.ObservabilityConfigException;
import io.opentelemetry.sdk.trace.SpanLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The service, tracing, metrics, logs and lifecycle variables, one by one. */
class AreaSettingsTest {

    private static ConfigSource env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigSource.of(env);
    }

    private static TracingSettings tracing(String... keyValues) {
        return TracingSettings.builder(env(keyValues)).build();
    }

    private static ObservabilityConfigException error(Function<ConfigSource, ?> build, String variable, String value) {
        ObservabilityConfigException e =
                catchThrowableOfType(ObservabilityConfigException.class, () -> build.apply(env(variable, value)));
        assertThat(e).as("no error for %s=%s", variable, value).isNotNull();
        assertThat(e.key()).isEqualTo(variable);
        assertThat(e.value()).isEqualTo(value);
        return e;
    }

    @Test
    void serviceNameAndResourceAttributes() {
        ServiceSettings s = ServiceSettings.builder(env(
                        "OTEL_RESOURCE_ATTRIBUTES",
                        "service.name=from-resource,service.instance.id=pod-7,team=pay%20ops,deployment.environment.name=Staging",
                        "OTEL_SERVICE_NAME",
                        "from-otel"))
                .build();
        // OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES (spec)
        assertThat(s.serviceName()).isEqualTo("from-otel");
        assertThat(s.serviceInstanceId()).isEqualTo("pod-7");
        assertThat(s.environment()).isEqualTo("staging");
        assertThat(s.resourceAttributes()).containsExactly(Map.entry("team", "pay ops"));
        assertThat(ServiceSettings.builder(env("OTEL_RESOURCE_ATTRIBUTES", "service.name=r"))
                        .build()
                        .serviceName())
                .isEqualTo("r");
        assertThat(ServiceSettings.builder(env("MMF_SERVICE_NAME", "m", "OTEL_SERVICE_NAME", "o"))
                        .build()
                        .serviceName())
                .isEqualTo("m");
        ObservabilityConfigException e = error(
                src -> ServiceSettings.builder(src).serviceName("s").build(), "OTEL_RESOURCE_ATTRIBUTES", "a=1,b");
        assertThat(e.getMessage()).contains("'b' is not of the form key=value");
    }

    @Test
    void everySamplerName() {
        assertSampler(tracing("OTEL_TRACES_SAMPLER", "always_on"), 1.0, false);
        assertSampler(tracing("OTEL_TRACES_SAMPLER", "always_off"), 0.0, false);
        assertSampler(tracing("OTEL_TRACES_SAMPLER", "parentbased_always_on"), 1.0, true);
        assertSampler(tracing("OTEL_TRACES_SAMPLER", "parentbased_always_off"), 0.0, true);
        assertSampler(tracing("OTEL_TRACES_SAMPLER", "traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25"), 0.25, false);
        assertSampler(
                tracing("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.02"),
                0.02,
                true);
        assertSampler(tracing("OTEL_TRACES_SAMPLER", "traceidratio"), 1.0, false); // spec default ratio
        // ARG alone: the ratio of the default parent-based ratio sampler
        assertSampler(tracing("OTEL_TRACES_SAMPLER_ARG", "0.4"), 0.4, true);
        // ARG is ignored by samplers without argument
        assertSampler(tracing("OTEL_TRACES_SAMPLER", "always_off", "OTEL_TRACES_SAMPLER_ARG", "0.4"), 0.0, false);
        assertSampler(tracing("MMF_TRACE_SAMPLE_RATE", "0.6", "OTEL_TRACES_SAMPLER_ARG", "0.4"), 0.6, true);
        assertSampler(TracingSettings.builder().environment("production").build(), 0.05, true);
        error(src -> TracingSettings.builder(src).build(), "OTEL_TRACES_SAMPLER", "jaeger_remote");
        error(src -> TracingSettings.builder(src).build(), "OTEL_TRACES_SAMPLER_ARG", "half");
        assertThat(error(src -> TracingSettings.builder(src).build(), "OTEL_TRACES_SAMPLER_ARG", "1.5")
                        .getMessage())
                .contains("between 0.0 and 1.0");
        error(src -> TracingSettings.builder(src).build(), "MMF_TRACE_SAMPLE_RATE", "-0.1");
    }

    private static void assertSampler(TracingSettings t, double rate, boolean parentBased) {
        assertThat(t.sampleRate()).isEqualTo(rate);
        assertThat(t.parentBased()).isEqualTo(parentBased);
    }

    @Test
    void exportersAndSdkDisabled() {
        assertThat(tracing("OTEL_TRACES_EXPORTER", "console").exporter()).isEqualTo("logging");
        assertThat(tracing("OTEL_TRACES_EXPORTER", "none").exporter()).isEqualTo("none");
        assertThat(tracing("MMF_TRACES_EXPORTER", "none", "OTEL_TRACES_EXPORTER", "otlp")
                        .exporter())
                .isEqualTo("none");
        assertThat(LogsSettings.builder(env("OTEL_LOGS_EXPORTER", "logging"))
                        .build()
                        .exporter())
                .isEqualTo("logging");
        error(src -> LogsSettings.builder(src).build(), "OTEL_LOGS_EXPORTER", "kafka");
        error(src -> TracingSettings.builder(src).build(), "OTEL_TRACES_EXPORTER", "zipkin");

        ConfigSource disabled = env("OTEL_SDK_DISABLED", "true", "OTEL_METRICS_EXPORTER", "otlp");
        assertThat(TracingSettings.builder(disabled).build().enabled()).isFalse();
        assertThat(LogsSettings.builder(disabled).build().exporter()).isEqualTo("none");
        assertThat(MetricsSettings.builder(disabled).build().otlpPush()).isFalse();
        assertThat(MetricsSettings.builder(disabled).build().enabled()).isTrue(); // /metrics is not the OTel SDK
        // code wins
        assertThat(TracingSettings.builder(disabled)
                        .tracingEnabled(true)
                        .build()
                        .enabled())
                .isTrue();
        assertThat(tracing("OTEL_SDK_DISABLED", "false").enabled()).isTrue();
        error(src -> TracingSettings.builder(src).build(), "OTEL_SDK_DISABLED", "sometimes");
    }

    @Test
    void propagators() {
        TracingSettings b3 = tracing("OTEL_PROPAGATORS", "tracecontext,baggage,b3");
        assertThat(b3.b3Propagation()).isTrue();
        assertThat(b3.b3MultiHeader()).isFalse();
        TracingSettings multi = tracing("OTEL_PROPAGATORS", "tracecontext, b3multi");
        assertThat(multi.b3Propagation()).isTrue();
        assertThat(multi.b3MultiHeader()).isTrue();
        assertThat(tracing("OTEL_PROPAGATORS", "tracecontext,baggage").b3Propagation())
                .isFalse();
        assertThat(tracing("OTEL_PROPAGATORS", "b3", "MMF_PROPAGATION_B3", "false")
                        .b3Propagation())
                .isFalse();
        assertThat(error(src -> TracingSettings.builder(src).build(), "OTEL_PROPAGATORS", "tracecontext,xray")
                        .getMessage())
                .contains("unsupported propagator 'xray'");
    }

    @Test
    void attributeLimits() {
        SpanLimits limits = tracing(
                        "OTEL_ATTRIBUTE_COUNT_LIMIT", "64",
                        "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "1024",
                        "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "256",
                        "OTEL_SPAN_EVENT_COUNT_LIMIT", "10",
                        "OTEL_SPAN_LINK_COUNT_LIMIT", "5",
                        "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "3",
                        "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "2")
                .spanLimits();
        assertThat(limits.getMaxNumberOfAttributes()).isEqualTo(64); // from the generic limit
        assertThat(limits.getMaxAttributeValueLength()).isEqualTo(256); // the span one wins
        assertThat(limits.getMaxNumberOfEvents()).isEqualTo(10);
        assertThat(limits.getMaxNumberOfLinks()).isEqualTo(5);
        assertThat(limits.getMaxNumberOfAttributesPerEvent()).isEqualTo(3);
        assertThat(limits.getMaxNumberOfAttributesPerLink()).isEqualTo(2);
        assertThat(tracing().spanLimits()).isEqualTo(SpanLimits.getDefault());
        var logLimits = LogsSettings.builder(
                        env("OTEL_ATTRIBUTE_COUNT_LIMIT", "64", "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT", "100"))
                .build()
                .logLimits();
        assertThat(logLimits.getMaxNumberOfAttributes()).isEqualTo(64);
        assertThat(logLimits.getMaxAttributeValueLength()).isEqualTo(100);
        error(src -> TracingSettings.builder(src).build(), "OTEL_SPAN_EVENT_COUNT_LIMIT", "-1");
        error(src -> LogsSettings.builder(src).build(), "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "many");
    }

    @Test
    void metricsVariables() {
        MetricsSettings m = MetricsSettings.builder(env(
                        "MMF_METRICS_ENABLED", "false",
                        "MMF_PROMETHEUS_PORT", "9464",
                        "MMF_PROMETHEUS_HOST", "127.0.0.1",
                        "MMF_METRICS_MAX_SERIES", "50",
                        "OTEL_METRICS_EXPORTER", "prometheus,otlp",
                        "OTEL_METRIC_EXPORT_INTERVAL", "15000"))
                .build();
        assertThat(m.enabled()).isFalse();
        assertThat(m.prometheusPort()).isEqualTo(9464);
        assertThat(m.prometheusHost()).isEqualTo("127.0.0.1");
        assertThat(m.maxSeriesPerMetric()).isEqualTo(50);
        assertThat(m.otlpPush()).isTrue();
        assertThat(m.exportInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(MetricsSettings.builder(env("OTEL_METRICS_EXPORTER", "otlp", "MMF_OTLP_METRICS", "off"))
                        .build()
                        .otlpPush())
                .isFalse();
        error(src -> MetricsSettings.builder(src).build(), "MMF_PROMETHEUS_PORT", "70000");
        error(src -> MetricsSettings.builder(src).build(), "MMF_METRICS_MAX_SERIES", "0");
        error(src -> MetricsSettings.builder(src).build(), "OTEL_METRIC_EXPORT_INTERVAL", "0");
        error(src -> MetricsSettings.builder(src).build(), "OTEL_METRICS_EXPORTER", "statsd");
    }

    @Test
    void lifecycleAndDebugVariables() {
        LifecycleSettings l = LifecycleSettings.builder(
                        env("MMF_SHUTDOWN_TIMEOUT_MS", "9000", "MMF_HEALTH_CHECK_TIMEOUT_MS", "250"))
                .build();
        assertThat(l.shutdownTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(l.healthCheckTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(tracing("MMF_DEBUG", "yes").debug()).isTrue();
        error(src -> LifecycleSettings.builder(src).build(), "MMF_SHUTDOWN_TIMEOUT_MS", "soon");
        error(src -> TracingSettings.builder(src).build(), "MMF_DEBUG", "verbose");
    }

    @Test
    void toBuilderRoundTripsEveryArea() {
        ConfigSource src = env(
                "OTEL_SERVICE_NAME", "s",
                "OTEL_TRACES_SAMPLER", "traceidratio",
                "OTEL_TRACES_SAMPLER_ARG", "0.2",
                "OTEL_BSP_MAX_QUEUE_SIZE", "99",
                "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "50",
                "OTEL_SPAN_EVENT_COUNT_LIMIT", "7",
                "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "11",
                "MMF_PROMETHEUS_PORT", "0");
        TracingSettings t = TracingSettings.builder(src).build();
        TracingSettings t2 = t.toBuilder().build();
        assertThat(t2.sampleRate()).isEqualTo(0.2);
        assertThat(t2.parentBased()).isFalse();
        assertThat(t2.batch().queueSize()).isEqualTo(99);
        assertThat(t2.spanLimits().getMaxNumberOfEvents()).isEqualTo(7);
        assertThat(LogsSettings.builder(src).build().toBuilder().build().batch().batchSize())
                .isEqualTo(11);
        assertThat(MetricsSettings.builder(src).build().toBuilder().build().prometheusPort())
                .isZero();
        ServiceSettings s = ServiceSettings.builder(src).build();
        assertThat(s.toBuilder().build().serviceInstanceId()).isEqualTo(s.serviceInstanceId());
    }
}
