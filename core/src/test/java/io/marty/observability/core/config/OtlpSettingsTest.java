package io.marty.observability.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.marty.observability.core.ObservabilityConfigException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OTLP exporter variables of the OTel spec, one by one, generic and per signal. */
class OtlpSettingsTest {

    private static OtlpSettings env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return OtlpSettings.builder(ConfigSource.of(env)).build();
    }

    private static ObservabilityConfigException envError(String... keyValues) {
        ObservabilityConfigException e = catchThrowableOfType(ObservabilityConfigException.class, () -> env(keyValues));
        assertThat(e).as("no error for %s", String.join(" ", keyValues)).isNotNull();
        return e;
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(OtlpSettingsTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void defaultsPerProtocol() {
        OtlpSettings http = env();
        assertThat(http.traces().endpoint()).isEqualTo("http://localhost:4318/v1/traces");
        assertThat(http.metrics().endpoint()).isEqualTo("http://localhost:4318/v1/metrics");
        assertThat(http.logs().endpoint()).isEqualTo("http://localhost:4318/v1/logs");
        assertThat(http.traces().protocol()).isEqualTo("http/protobuf");
        assertThat(http.traces().compression()).isEqualTo("none");
        assertThat(http.traces().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(http.traces().headers()).isEmpty();
        assertThat(http.traces().trustedCertificates()).isNull();
        OtlpSettings grpc = env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        assertThat(grpc.traces().endpoint()).isEqualTo("http://localhost:4317");
        assertThat(grpc.logs().isGrpc()).isTrue();
        assertThat(grpc.endpoint()).isEqualTo("http://localhost:4317");
    }

    @Test
    void genericEndpointGetsTheSignalPathForHttpOnly() {
        OtlpSettings http = env("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318");
        assertThat(http.traces().endpoint()).isEqualTo("https://collector:4318/v1/traces");
        assertThat(http.metrics().endpoint()).isEqualTo("https://collector:4318/v1/metrics");
        assertThat(http.logs().endpoint()).isEqualTo("https://collector:4318/v1/logs");
        // a base path is kept, a trailing slash is not doubled
        assertThat(env("OTEL_EXPORTER_OTLP_ENDPOINT", "https://gw.example.com/otlp/")
                        .traces()
                        .endpoint())
                .isEqualTo("https://gw.example.com/otlp/v1/traces");
        OtlpSettings grpc =
                env("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4317/", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        assertThat(grpc.traces().endpoint()).isEqualTo("https://collector:4317");
    }

    @Test
    void perSignalEndpointOverridesTheGenericOneAndIsUsedAsGiven() {
        OtlpSettings s = env(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces.example.com:4318/ingest",
                "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://logs.example.com:4318",
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics.example.com/m");
        assertThat(s.traces().endpoint()).isEqualTo("http://traces.example.com:4318/ingest");
        assertThat(s.logs().endpoint()).isEqualTo("http://logs.example.com:4318");
        assertThat(s.metrics().endpoint()).isEqualTo("http://metrics.example.com/m");
        assertThat(s.endpoint()).isEqualTo("http://collector:4318");
        // only traces overridden: the others keep the generic endpoint
        OtlpSettings one = env(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9/t");
        assertThat(one.logs().endpoint()).isEqualTo("http://collector:4318/v1/logs");
    }

    @Test
    void badEndpointsNameTheVariable() {
        ObservabilityConfigException e = envError("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318");
        assertThat(e.key()).isEqualTo("OTEL_EXPORTER_OTLP_ENDPOINT");
        assertThat(e.getMessage())
                .contains("OTEL_EXPORTER_OTLP_ENDPOINT='localhost:4318': must be an absolute http:// or https:// URL");
        ObservabilityConfigException t = envError("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "ftp://x/v1/traces");
        assertThat(t.key()).isEqualTo("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        assertThat(t.getMessage()).contains("http://localhost:4318/v1/traces");
    }

    @Test
    void perSignalProtocol() {
        OtlpSettings s = env(
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        assertThat(s.traces().protocol()).isEqualTo("grpc");
        assertThat(s.traces().endpoint()).isEqualTo("http://collector:4318");
        assertThat(s.logs().protocol()).isEqualTo("http/protobuf");
        assertThat(env("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "grpc").logs().endpoint())
                .isEqualTo("http://localhost:4317");
        ObservabilityConfigException e = envError("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/json");
        assertThat(e.key()).isEqualTo("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL");
        assertThat(e.getMessage()).contains("must be one of http/protobuf, grpc");
    }

    @Test
    void headersArePercentDecodedAndPerSignalOnesReplaceTheGenericOnes() {
        OtlpSettings s = env(
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr%3Dt, x-team = pay%20ops",
                "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "authorization=Bearer%20abc");
        assertThat(s.traces().headers())
                .containsExactly(Map.entry("api-key", "s3cr=t"), Map.entry("x-team", "pay ops"));
        assertThat(s.metrics().headers()).isEqualTo(s.traces().headers());
        assertThat(s.logs().headers()).containsExactly(Map.entry("authorization", "Bearer abc"));
        assertThat(s.toString()).doesNotContain("s3cr").doesNotContain("abc");
        // a header set in code is added to (and wins over) the variable's
        OtlpSettings code = OtlpSettings.builder(ConfigSource.of(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2")))
                .header("b", "code")
                .header(Signal.METRICS, "m", "only-metrics")
                .build();
        assertThat(code.traces().headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "code"));
        assertThat(code.metrics().headers()).containsExactly(Map.entry("m", "only-metrics"));
        ObservabilityConfigException e = envError("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "novalue");
        assertThat(e.key()).isEqualTo("OTEL_EXPORTER_OTLP_TRACES_HEADERS");
        assertThat(e.getMessage()).contains("'novalue' is not of the form key=value");
        assertThat(envError("OTEL_EXPORTER_OTLP_HEADERS", "k=%zz").getMessage()).contains("not valid percent-encoding");
    }

    @Test
    void compressionGenericAndPerSignal() {
        OtlpSettings s =
                env("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip", "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "none");
        assertThat(s.traces().compression()).isEqualTo("gzip");
        assertThat(s.logs().compression()).isEqualTo("gzip");
        assertThat(s.metrics().compression()).isEqualTo("none");
        assertThat(env("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "GZIP").traces().compression())
                .isEqualTo("gzip");
        ObservabilityConfigException e = envError("OTEL_EXPORTER_OTLP_LOGS_COMPRESSION", "zstd");
        assertThat(e.key()).isEqualTo("OTEL_EXPORTER_OTLP_LOGS_COMPRESSION");
        assertThat(e.getMessage()).contains("must be one of gzip, none");
    }

    @Test
    void timeoutInMillisGenericAndPerSignal() {
        OtlpSettings s = env("OTEL_EXPORTER_OTLP_TIMEOUT", "2500", "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "700");
        assertThat(s.traces().timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.logs().timeout()).isEqualTo(Duration.ofMillis(700));
        ObservabilityConfigException e = envError("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "5s");
        assertThat(e.key()).isEqualTo("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT");
        assertThat(e.getMessage()).contains("whole number of milliseconds");
        assertThat(envError("OTEL_EXPORTER_OTLP_TIMEOUT", "0").getMessage()).contains("positive duration");
    }

    @Test
    void certificateFilesMustExistAndHoldPem(@TempDir Path dir) throws Exception {
        Path cert = resource("localhost-cert.pem");
        Path key = resource("localhost-key.pem");
        OtlpSettings s = env(
                "OTEL_EXPORTER_OTLP_CERTIFICATE", cert.toString(),
                "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", key.toString(),
                "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", cert.toString());
        assertThat(s.logs().trustedCertificates()).isEqualTo(cert);
        assertThat(s.traces().clientKey()).isEqualTo(key);
        assertThat(s.traces().clientCertificate()).isEqualTo(cert);
        assertThat(s.logs().clientKey()).isNull();

        String missing = dir.resolve("nope.pem").toString();
        ObservabilityConfigException e = envError("OTEL_EXPORTER_OTLP_CERTIFICATE", missing);
        assertThat(e.key()).isEqualTo("OTEL_EXPORTER_OTLP_CERTIFICATE");
        assertThat(e.value()).isEqualTo(missing);
        assertThat(e.getMessage()).contains("must name a readable PEM file");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThat(envError("OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE", garbage.toString())
                        .key())
                .isEqualTo("OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE");
        // a certificate is not a key
        ObservabilityConfigException notKey = envError(
                "OTEL_EXPORTER_OTLP_CLIENT_KEY", cert.toString(),
                "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", cert.toString());
        assertThat(notKey.key()).isEqualTo("OTEL_EXPORTER_OTLP_CLIENT_KEY");
        assertThat(notKey.getMessage()).contains("PKCS#8 PEM private key");
        // key without certificate
        ObservabilityConfigException half = envError("OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY", key.toString());
        assertThat(half.key()).isEqualTo("OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY");
        assertThat(half.getMessage()).contains("must be given together");
    }

    @Test
    void codeWinsOverVariablesAndPerSignalWinsOverGeneric() {
        ConfigSource env = ConfigSource.of(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://env-traces:4318/v1/traces",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"));
        OtlpSettings s = OtlpSettings.builder(env)
                .endpoint("http://code:4318")
                .compression("none")
                .timeout(Signal.LOGS, Duration.ofMillis(300))
                .build();
        assertThat(s.logs().endpoint()).isEqualTo("http://code:4318/v1/logs");
        assertThat(s.traces().endpoint()).isEqualTo("http://env-traces:4318/v1/traces");
        assertThat(s.traces().compression()).isEqualTo("none");
        assertThat(s.logs().timeout()).isEqualTo(Duration.ofMillis(300));
        OtlpSettings code = OtlpSettings.builder(env)
                .endpoint(Signal.TRACES, "http://code-traces/t")
                .build();
        assertThat(code.traces().endpoint()).isEqualTo("http://code-traces/t");
        // toBuilder keeps what was given, generic and per signal, and re-resolves the rest
        OtlpSettings copy = s.toBuilder().endpoint("http://moved:4318").build();
        assertThat(copy.logs().endpoint()).isEqualTo("http://moved:4318/v1/logs");
        assertThat(copy.logs().timeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(copy.traces().endpoint()).isEqualTo("http://env-traces:4318/v1/traces");
        assertThat(copy.traces().compression()).isEqualTo("none");
    }

    @Test
    void badBuilderValuesNameTheProperty() {
        ObservabilityConfigException e = catchThrowableOfType(
                ObservabilityConfigException.class,
                () -> OtlpSettings.builder().endpoint(Signal.LOGS, "logs:4318").build());
        assertThat(e.key()).isEqualTo("otlpLogsEndpoint");
        ObservabilityConfigException c = catchThrowableOfType(
                ObservabilityConfigException.class,
                () -> OtlpSettings.builder().compression("brotli").build());
        assertThat(c.key()).isEqualTo("otlpCompression");
    }

    @Test
    void systemPropertiesOverrideVariables() {
        String property = "otel.exporter.otlp.traces.endpoint";
        System.setProperty(property, "http://from-property:4318/v1/traces");
        try {
            OtlpSettings s = OtlpSettings.builder(ConfigSource.environment()).build();
            assertThat(s.traces().endpoint()).isEqualTo("http://from-property:4318/v1/traces");
            System.setProperty(property, "not a url");
            ObservabilityConfigException e = catchThrowableOfType(
                    ObservabilityConfigException.class,
                    () -> OtlpSettings.builder(ConfigSource.environment()).build());
            assertThat(e.key()).isEqualTo(property);
        } finally {
            System.clearProperty(property);
        }
    }
}
