package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-signal {@code OTEL_EXPORTER_OTLP_*} variables reach the real OTLP/HTTP exporters: a receiver
 * on 127.0.0.1 records the path, headers and body of every export request.
 */
class OtlpPerSignalExportIT {
    /** One export request as received. */
    record Request(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        int payloadLength() {
            try {
                return payload().length;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The body, gunzipped when the request says it is gzip. */
        byte[] payload() throws IOException {
            if (!"gzip".equals(header("Content-Encoding"))) {
                return body;
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return in.readAllBytes();
            }
        }
    }

    private HttpServer receiver;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private String base;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", this::receive);
        receiver.start();
        base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    private void receive(HttpExchange ex) throws IOException {
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        try (InputStream in = ex.getRequestBody()) {
            requests.add(new Request(ex.getRequestURI().getPath(), headers, in.readAllBytes()));
        }
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    @AfterEach
    void stopReceiver() {
        MartyObservability.current().ifPresent(MartyObservability::close);
        receiver.stop(0);
    }

    /** The export requests to {@code path}, without the empty one that opens the connection at start. */
    private List<Request> at(String path) {
        return requests.stream()
                .filter(r -> r.path().equals(path) && r.payloadLength() > 0)
                .toList();
    }

    /** Every request to {@code path}. */
    private List<Request> anyAt(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void perSignalEndpointHeadersCompressionAndTimeoutAreUsed() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OTEL_SERVICE_NAME", "checkout");
        env.put("OTEL_TRACES_SAMPLER", "always_on");
        env.put("OTEL_METRICS_EXPORTER", "otlp");
        // generic: logs use these
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", base + "/generic");
        env.put("OTEL_EXPORTER_OTLP_HEADERS", "x-generic=g%20v");
        // traces: own endpoint (as given), own headers (replace the generic ones), gzip
        env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", base + "/tenant-a/spans");
        env.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-tenant=acme,authorization=Bearer%20t0k%3D");
        env.put("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip");
        // metrics: own endpoint, gzip from the generic compression, own timeout
        env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "none");
        env.put("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", base + "/m");
        env.put("OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "gzip");
        env.put("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "3000");
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builderFromEnvironment(env)
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        obs.tracing().trace("reserve-stock", () -> "ok");
        obs.openTelemetry()
                .getLogsBridge()
                .get("test")
                .logRecordBuilder()
                .setBody("stock reserved")
                .emit();
        obs.metrics().red().record(Protocol.HTTP, Direction.SERVER, "GET", "/cart", "200", Outcome.SUCCESS, 0.01);
        obs.close(); // flushes all three signals

        List<Request> spans = at("/tenant-a/spans");
        assertThat(spans).as("requests: %s", requests).hasSize(1);
        Request t = spans.get(0);
        assertThat(t.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(t.header("x-tenant")).isEqualTo("acme");
        assertThat(t.header("authorization")).isEqualTo("Bearer t0k=");
        assertThat(t.header("x-generic")).isNull();
        ExportTraceServiceRequest traces = ExportTraceServiceRequest.parseFrom(t.payload());
        assertThat(traces.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
                .isEqualTo("reserve-stock");

        List<Request> logs = at("/generic/v1/logs");
        assertThat(logs).as("requests: %s", requests).hasSize(1);
        Request l = logs.get(0);
        assertThat(l.header("Content-Encoding")).isNull();
        assertThat(l.header("x-generic")).isEqualTo("g v");
        assertThat(l.header("x-tenant")).isNull();
        assertThat(ExportLogsServiceRequest.parseFrom(l.body())
                        .getResourceLogs(0)
                        .getScopeLogs(0)
                        .getLogRecords(0)
                        .getBody()
                        .getStringValue())
                .isEqualTo("stock reserved");

        List<Request> metrics = at("/m");
        assertThat(metrics).as("requests: %s", requests).isNotEmpty();
        Request m = metrics.get(metrics.size() - 1);
        assertThat(m.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(m.header("x-generic")).isEqualTo("g v");
        assertThat(ExportMetricsServiceRequest.parseFrom(m.payload()).getResourceMetricsList())
                .isNotEmpty();
        // nothing went to the generic trace or metric paths
        assertThat(anyAt("/generic/v1/traces")).isEmpty();
        assertThat(anyAt("/generic/v1/metrics")).isEmpty();
    }

    @Test
    void genericEndpointGetsTheSignalPaths() throws Exception {
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builderFromEnvironment(Map.of(
                        "OTEL_SERVICE_NAME", "checkout",
                        "OTEL_TRACES_SAMPLER", "always_on",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", base + "/otlp/",
                        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"))
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        obs.tracing().trace("work", () -> "ok");
        obs.close();
        List<Request> spans = at("/otlp/v1/traces");
        assertThat(spans).as("requests: %s", requests).hasSize(1);
        assertThat(anyAt("/otlp/v1/traces"))
                .as("at most one more, empty: the request that opens the connection two seconds after start")
                .hasSizeBetween(1, 2);
        assertThat(spans.get(0).header("Content-Encoding")).isEqualTo("gzip");
        assertThat(ExportTraceServiceRequest.parseFrom(spans.get(0).payload())
                        .getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpans(0)
                        .getName())
                .isEqualTo("work");
    }
}
