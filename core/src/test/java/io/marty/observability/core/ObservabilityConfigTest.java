package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.config.Signal;
import io.opentelemetry.sdk.trace.SpanLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservabilityConfigTest {

    @Test
    void defaults() {
        ObservabilityConfig c =
                ObservabilityConfig.builder().serviceName("orders").build();
        assertThat(c.serviceName()).isEqualTo("orders");
        assertThat(c.environment()).isEqualTo("development");
        assertThat(c.sampleRate()).isEqualTo(1.0);
        assertThat(c.parentBasedSampling()).isTrue();
        assertThat(c.tracesExporter()).isEqualTo("otlp");
        assertThat(c.otlpProtocol()).isEqualTo("http/protobuf");
        assertThat(c.otlpEndpoint()).isEqualTo("http://localhost:4318");
        assertThat(c.prometheusPort()).isEqualTo(-1);
        assertThat(c.serviceInstanceId()).hasSize(36);
    }

    @Test
    void perEnvironmentSamplingFollowsTheTable() {
        // development 1.0, staging 0.3, production 0.05, anything else 0.1 -- all parent-based
        assertThat(rateFor("development")).isEqualTo(1.0);
        assertThat(rateFor("staging")).isEqualTo(0.3);
        assertThat(rateFor("production")).isEqualTo(0.05);
        assertThat(rateFor("Production")).isEqualTo(0.05);
        assertThat(rateFor("testing")).isEqualTo(0.1);
        assertThat(rateFor("qa-7")).isEqualTo(0.1);
        assertThat(ObservabilityConfig.defaultSampleRate("staging")).isEqualTo(0.3);
        assertThat(ObservabilityConfig.builder()
                        .serviceName("s")
                        .environment("production")
                        .build()
                        .parentBasedSampling())
                .isTrue();
    }

    @Test
    void environmentSampleRateIsOverridable() {
        Map<String, String> production = Map.of("OTEL_SERVICE_NAME", "s", "MMF_ENVIRONMENT", "production");
        assertThat(ObservabilityConfig.builderFromEnvironment(production)
                        .sampleRate(0.3)
                        .build()
                        .sampleRate())
                .isEqualTo(0.3);
        ObservabilityConfig arg =
                ObservabilityConfig.fromEnvironment(with(production, "OTEL_TRACES_SAMPLER_ARG", "0.5"));
        assertThat(arg.sampleRate()).isEqualTo(0.5);
        assertThat(arg.parentBasedSampling()).isTrue();
        assertThat(ObservabilityConfig.fromEnvironment(with(production, "MMF_TRACE_SAMPLE_RATE", "0.7"))
                        .sampleRate())
                .isEqualTo(0.7);
        // code wins over both variables
        assertThat(ObservabilityConfig.builderFromEnvironment(with(production, "MMF_TRACE_SAMPLE_RATE", "0.7"))
                        .sampleRate(0.2)
                        .build()
                        .sampleRate())
                .isEqualTo(0.2);
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(env);
        m.put(key, value);
        return m;
    }

    private static double rateFor(String env) {
        return ObservabilityConfig.builder()
                .serviceName("s")
                .environment(env)
                .build()
                .sampleRate();
    }

    @Test
    void grpcProtocolDefaultsToPort4317() {
        ObservabilityConfig c = ObservabilityConfig.builder()
                .serviceName("s")
                .otlpProtocol("grpc")
                .build();
        assertThat(c.otlpEndpoint()).isEqualTo("http://localhost:4317");
    }

    @Test
    void emptyServiceNameFailsNamingKeyAndValue() {
        assertThatThrownBy(() -> ObservabilityConfig.builder().serviceName("  ").build())
                .isInstanceOf(ObservabilityConfigException.class)
                .hasMessageContaining("serviceName='  '")
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ObservabilityConfig.builder().build()).hasMessageContaining("serviceName=<null>");
    }

    @Test
    void sampleRateOutOfRangeFails() {
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .sampleRate(1.5)
                        .build())
                .isInstanceOf(ObservabilityConfigException.class)
                .hasMessageContaining("sampleRate='1.5'")
                .hasMessageContaining("between 0.0 and 1.0");
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "MMF_TRACE_SAMPLE_RATE", "1.5")))
                .hasMessageContaining("MMF_TRACE_SAMPLE_RATE='1.5'");
    }

    @Test
    void endpointWithoutSchemeFails() {
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .otlpEndpoint("localhost:4318")
                        .build())
                .isInstanceOf(ObservabilityConfigException.class)
                .hasMessageContaining("otlpEndpoint='localhost:4318'")
                .hasMessageContaining("http://");
        ObservabilityConfigException e = (ObservabilityConfigException)
                org.assertj.core.api.Assertions.catchThrowable(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318")));
        assertThat(e.key()).isEqualTo("OTEL_EXPORTER_OTLP_ENDPOINT");
        assertThat(e.value()).isEqualTo("localhost:4318");
    }

    @Test
    void unknownExporterFails() {
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .exporter("jaeger")
                        .build())
                .isInstanceOf(ObservabilityConfigException.class)
                .hasMessageContaining("tracesExporter='jaeger'")
                .hasMessageContaining("otlp, logging, none");
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "OTEL_TRACES_EXPORTER", "zipkin")))
                .hasMessageContaining("OTEL_TRACES_EXPORTER='zipkin'");
    }

    @Test
    void otherInvalidValuesFail() {
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .otlpProtocol("http/json")
                        .build())
                .hasMessageContaining("otlpProtocol='http/json'");
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .prometheusPort(70000)
                        .build())
                .hasMessageContaining("prometheusPort='70000'");
        assertThatThrownBy(() -> ObservabilityConfig.builder()
                        .serviceName("s")
                        .shutdownTimeout(Duration.ZERO)
                        .build())
                .hasMessageContaining("shutdownTimeout");
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "MMF_PROMETHEUS_PORT", "nine")))
                .hasMessageContaining("MMF_PROMETHEUS_PORT='nine'")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "MMF_TRACING_ENABLED", "maybe")))
                .hasMessageContaining("MMF_TRACING_ENABLED='maybe'");
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "OTEL_TRACES_SAMPLER", "sometimes")))
                .hasMessageContaining("OTEL_TRACES_SAMPLER='sometimes'");
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "OTEL_RESOURCE_ATTRIBUTES", "team")))
                .hasMessageContaining("OTEL_RESOURCE_ATTRIBUTES='team'");
    }

    @Test
    void readsOtelAndMmfVariables() {
        ObservabilityConfig c = ObservabilityConfig.fromEnvironment(Map.of(
                "OTEL_SERVICE_NAME", "payments",
                "OTEL_RESOURCE_ATTRIBUTES",
                        "service.version=3.2.1,deployment.environment.name=staging,team=pay%20ops,k8s.pod.name=p-1",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4317/",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret",
                "OTEL_TRACES_EXPORTER", "console",
                "OTEL_PROPAGATORS", "tracecontext,baggage,b3multi",
                "MMF_PROMETHEUS_PORT", "0",
                "MMF_METRICS_MAX_SERIES", "50"));
        assertThat(c.serviceName()).isEqualTo("payments");
        assertThat(c.serviceVersion()).isEqualTo("3.2.1");
        assertThat(c.environment()).isEqualTo("staging");
        assertThat(c.sampleRate()).isEqualTo(0.3);
        assertThat(c.resourceAttributes())
                .containsEntry("team", "pay ops")
                .containsEntry("k8s.pod.name", "p-1")
                .doesNotContainKey("service.version");
        assertThat(c.otlpEndpoint()).isEqualTo("https://collector:4317");
        assertThat(c.otlpProtocol()).isEqualTo("grpc");
        assertThat(c.otlpHeaders()).containsEntry("api-key", "secret");
        assertThat(c.tracesExporter()).isEqualTo("logging");
        assertThat(c.b3Propagation()).isTrue();
        assertThat(c.b3MultiHeader()).isTrue();
        assertThat(c.prometheusPort()).isZero();
        assertThat(c.maxSeriesPerMetric()).isEqualTo(50);
    }

    @Test
    void mmfVariablesWinOverOtelOnesAndCodeWinsOverBoth() {
        Map<String, String> env = Map.of(
                "OTEL_SERVICE_NAME", "otel-name",
                "MMF_SERVICE_NAME", "mmf-name",
                "MMF_ENVIRONMENT", "production");
        assertThat(ObservabilityConfig.fromEnvironment(env).serviceName()).isEqualTo("mmf-name");
        ObservabilityConfig c = ObservabilityConfig.builderFromEnvironment(env)
                .serviceName("code-name")
                .build();
        assertThat(c.serviceName()).isEqualTo("code-name");
        assertThat(c.environment()).isEqualTo("production");
        assertThat(c.sampleRate()).isEqualTo(0.05);
    }

    @Test
    void otelSamplerVariables() {
        ObservabilityConfig ratio = ObservabilityConfig.fromEnvironment(Map.of(
                "OTEL_SERVICE_NAME", "s",
                "OTEL_TRACES_SAMPLER", "traceidratio",
                "OTEL_TRACES_SAMPLER_ARG", "0.25"));
        assertThat(ratio.sampleRate()).isEqualTo(0.25);
        assertThat(ratio.parentBasedSampling()).isFalse();
        ObservabilityConfig off = ObservabilityConfig.fromEnvironment(
                Map.of("OTEL_SERVICE_NAME", "s", "OTEL_TRACES_SAMPLER", "parentbased_always_off"));
        assertThat(off.sampleRate()).isZero();
        assertThat(off.parentBasedSampling()).isTrue();
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(Map.of(
                        "OTEL_SERVICE_NAME", "s",
                        "OTEL_TRACES_SAMPLER", "traceidratio",
                        "OTEL_TRACES_SAMPLER_ARG", "2")))
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG='2'");
    }

    @Test
    void otlpMetricsPushIsOptIn() {
        assertThat(ObservabilityConfig.builder().serviceName("s").build().otlpMetrics())
                .isFalse();
        ObservabilityConfig c = ObservabilityConfig.fromEnvironment(Map.of(
                "OTEL_SERVICE_NAME", "s",
                "OTEL_METRICS_EXPORTER", "prometheus,otlp",
                "OTEL_METRIC_EXPORT_INTERVAL", "15000"));
        assertThat(c.otlpMetrics()).isTrue();
        assertThat(c.metricsExportInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "OTEL_METRICS_EXPORTER", "statsd")))
                .hasMessageContaining("OTEL_METRICS_EXPORTER='statsd'");
    }

    @Test
    void sdkDisabledTurnsTracingOff() {
        assertThat(ObservabilityConfig.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "s", "OTEL_SDK_DISABLED", "true"))
                        .tracingEnabled())
                .isFalse();
    }

    @Test
    void toBuilderRoundTrips() {
        ObservabilityConfig c = ObservabilityConfig.builder()
                .serviceName("s")
                .environment("staging")
                .prometheusPort(0)
                .build();
        ObservabilityConfig d = c.toBuilder().serviceVersion("9").build();
        assertThat(d.serviceName()).isEqualTo("s");
        assertThat(d.sampleRate()).isEqualTo(0.3);
        assertThat(d.serviceVersion()).isEqualTo("9");
        assertThat(d.serviceInstanceId()).isEqualTo(c.serviceInstanceId());
    }

    @Test
    void areasAreReachableFromTheBuilderAndSurviveToBuilder() {
        ObservabilityConfig c = ObservabilityConfig.builderFromEnvironment(
                        Map.of("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-tenant=acme"))
                .serviceName("s")
                .otlpEndpoint("http://collector:4318")
                .otlp(o -> o.endpoint(Signal.LOGS, "http://logs:9000/ingest").compression("gzip"))
                .tracing(t -> t.spanLimits(
                        SpanLimits.builder().setMaxNumberOfEvents(3).build()))
                .build();
        assertThat(c.otlp().traces().endpoint()).isEqualTo("http://collector:4318/v1/traces");
        assertThat(c.otlp().traces().headers()).containsEntry("x-tenant", "acme");
        assertThat(c.otlp().logs().endpoint()).isEqualTo("http://logs:9000/ingest");
        assertThat(c.otlp().metrics().compression()).isEqualTo("gzip");
        assertThat(c.tracing().spanLimits().getMaxNumberOfEvents()).isEqualTo(3);
        assertThat(c.toString()).contains("http://collector:4318/v1/traces").doesNotContain("acme");
        ObservabilityConfig d = c.toBuilder().otlpEndpoint("http://moved:4318").build();
        assertThat(d.otlp().traces().endpoint()).isEqualTo("http://moved:4318/v1/traces");
        assertThat(d.otlp().traces().headers()).containsEntry("x-tenant", "acme");
        assertThat(d.otlp().logs().endpoint()).isEqualTo("http://logs:9000/ingest");
        assertThat(d.tracing().spanLimits().getMaxNumberOfEvents()).isEqualTo(3);
    }

    @Test
    void systemPropertiesCountAsEnvironment() {
        System.setProperty("mmf.service.name", "from-property");
        try {
            assertThat(ObservabilityConfig.fromEnvironment().serviceName()).isEqualTo("from-property");
        } finally {
            System.clearProperty("mmf.service.name");
        }
    }
}
