package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real OTLP/HTTP exporter → an OTLP receiver in the test (JDK HttpServer + opentelemetry-proto). */
class OtlpExportIT {
    private HttpServer receiver;
    private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
    private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier.get(key);
        }
    };

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/v1/traces", ex -> receive(ex, body -> traces.add(ExportTraceServiceRequest.parseFrom(body))));
        receiver.createContext(
                "/v1/logs", ex -> receive(ex, body -> logs.add(ExportLogsServiceRequest.parseFrom(body))));
        receiver.createContext(
                "/v1/metrics", ex -> receive(ex, body -> metrics.add(ExportMetricsServiceRequest.parseFrom(body))));
        receiver.start();
    }

    interface BodyHandler {
        void accept(byte[] body) throws IOException;
    }

    private static void receive(com.sun.net.httpserver.HttpExchange ex, BodyHandler handler) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (body.length > 0) { // not the empty request that opens the exporter's connection at start
                handler.accept(body);
            }
        }
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, 0);
        ex.close();
    }

    @AfterEach
    void stopReceiver() {
        MartyObservability.current().ifPresent(MartyObservability::close);
        receiver.stop(0);
    }

    @Test
    void spansArriveWithTraceParentsAndCorrelationAttributes() throws Exception {
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("checkout")
                .serviceVersion("4.0.0")
                .environment("testing")
                .sampleRate(1.0) // "testing" samples 0.1 by default
                .otlpEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort())
                .otlpProtocol("http/protobuf")
                .exporter("otlp")
                .shutdownTimeout(Duration.ofSeconds(10))
                .prometheusRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry())
                .build());

        // an incoming request from an upstream service
        Map<String, String> incoming = Map.of(
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                MmfHeaders.CORRELATION_ID,
                "corr-checkout-1",
                MmfHeaders.REQUEST_ID,
                "req-upstream-1",
                MmfHeaders.USER_ID,
                "user-9");
        Context extracted =
                obs.openTelemetry().getPropagators().getTextMapPropagator().extract(Context.root(), incoming, GETTER);
        Span server = obs.tracing().startSpan("POST /checkout", SpanKind.SERVER, Attributes.empty(), extracted);
        String requestId;
        try (Scope ignored = extracted.with(server).makeCurrent()) {
            requestId = CorrelationContext.current().requestId();
            obs.tracing().trace("reserve-stock", () -> "ok");
            obs.openTelemetry()
                    .getLogsBridge()
                    .get("test")
                    .logRecordBuilder()
                    .setBody("checkout done")
                    .emit();
        } finally {
            server.end();
        }
        obs.close(); // must flush both signals

        List<io.opentelemetry.proto.trace.v1.Span> received = traces.stream()
                .flatMap(r -> r.getResourceSpansList().stream())
                .map(ResourceSpans::getScopeSpansList)
                .flatMap(List::stream)
                .map(ScopeSpans::getSpansList)
                .flatMap(List::stream)
                .collect(Collectors.toList());
        assertThat(received).hasSize(2);
        io.opentelemetry.proto.trace.v1.Span serverSpan = byName(received, "POST /checkout");
        io.opentelemetry.proto.trace.v1.Span child = byName(received, "reserve-stock");

        assertThat(hex(serverSpan.getTraceId())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(hex(serverSpan.getParentSpanId())).isEqualTo("00f067aa0ba902b7");
        assertThat(serverSpan.getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(hex(child.getTraceId())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(child.getParentSpanId()).isEqualTo(serverSpan.getSpanId());

        for (io.opentelemetry.proto.trace.v1.Span s : List.of(serverSpan, child)) {
            Map<String, String> attrs = attributes(s.getAttributesList());
            assertThat(attrs)
                    .containsEntry("mmf.correlation_id", "corr-checkout-1")
                    .containsEntry("mmf.parent_request_id", "req-upstream-1")
                    .containsEntry("mmf.request_id", requestId)
                    .containsEntry("mmf.user_id", "user-9");
        }
        Map<String, String> resource =
                attributes(traces.get(0).getResourceSpans(0).getResource().getAttributesList());
        assertThat(resource)
                .containsEntry("service.name", "checkout")
                .containsEntry("service.version", "4.0.0")
                .containsEntry("deployment.environment.name", "testing");

        assertThat(logs).isNotEmpty();
        var record = logs.get(0).getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(record.getBody().getStringValue()).isEqualTo("checkout done");
        assertThat(hex(record.getTraceId())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(record.getSpanId()).isEqualTo(serverSpan.getSpanId());
    }

    @Test
    void metricsArePushedOverOtlpWhenEnabled() {
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("checkout")
                .exporter("none")
                .otlpMetrics(true)
                .otlpEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort())
                .shutdownTimeout(Duration.ofSeconds(10))
                .prometheusRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry())
                .build());
        var red = obs.metrics().red();
        red.record(Protocol.HTTP, Direction.SERVER, "GET", "/cart", "200", Outcome.SUCCESS, 0.003);
        red.record(Protocol.HTTP, Direction.SERVER, "GET", "/cart", "200", Outcome.SUCCESS, 0.7);
        obs.close(); // the final collection is flushed on close

        Map<String, io.opentelemetry.proto.metrics.v1.Metric> byName = metrics.stream()
                .flatMap(r -> r.getResourceMetricsList().stream())
                .flatMap(rm -> rm.getScopeMetricsList().stream())
                .flatMap(sm -> sm.getMetricsList().stream())
                .collect(Collectors.toMap(io.opentelemetry.proto.metrics.v1.Metric::getName, m -> m, (a, b) -> b));
        var requests = byName.get("mmf_requests_total");
        assertThat(requests)
                .as("metrics received: %s in %s requests", byName.keySet(), metrics.size())
                .isNotNull();
        assertThat(requests.getSum().getIsMonotonic()).isTrue();
        assertThat(requests.getSum().getDataPoints(0).getAsDouble()).isEqualTo(2.0);
        assertThat(attributes(requests.getSum().getDataPoints(0).getAttributesList()))
                .containsEntry("service", "checkout")
                .containsEntry("route", "/cart")
                .containsEntry("status", "200");
        var duration = byName.get("mmf_request_duration_seconds").getHistogram().getDataPoints(0);
        assertThat(duration.getCount()).isEqualTo(2);
        assertThat(duration.getExplicitBoundsList())
                .containsExactly(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
        // 0.003 falls in the first bucket, 0.7 in (0.5, 1]
        assertThat(duration.getBucketCountsList()).containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(byName).containsKey("mmf_service_build_info");
    }

    private static io.opentelemetry.proto.trace.v1.Span byName(
            List<io.opentelemetry.proto.trace.v1.Span> spans, String name) {
        return spans.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    private static String hex(com.google.protobuf.ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        return kvs.stream()
                .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> a));
    }
}
