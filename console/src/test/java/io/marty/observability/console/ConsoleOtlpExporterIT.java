package io.marty.observability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Feeds the console through the real OTel SDK OTLP/HTTP exporters (protobuf) and reads the API. */
class ConsoleOtlpExporterIT {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    static OpenTelemetrySdk sdk(String endpoint, String service) {
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)));
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setResource(resource)
                        .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                                .setEndpoint(endpoint + "/v1/traces")
                                .build()))
                        .build())
                .setLoggerProvider(SdkLoggerProvider.builder()
                        .setResource(resource)
                        .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder()
                                .setEndpoint(endpoint + "/v1/logs")
                                .build()))
                        .build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .setResource(resource)
                        .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                                        .setEndpoint(endpoint + "/v1/metrics")
                                        .build())
                                .setInterval(Duration.ofSeconds(60))
                                .build())
                        .build())
                .build();
    }

    JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void realExportersDeliverTracesLogsAndMetrics() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start()) {
            String base = console.url();
            String traceId;
            try (OpenTelemetrySdk gateway = sdk(base, "gateway");
                    OpenTelemetrySdk orders = sdk(base, "orders")) {
                Tracer gw = gateway.getTracer("it");
                Tracer ord = orders.getTracer("it");
                Span root = gw.spanBuilder("GET /checkout")
                        .setSpanKind(SpanKind.SERVER)
                        .setAttribute("http.route", "/checkout")
                        .setAttribute("http.request.method", "GET")
                        .setAttribute("http.response.status_code", 200L)
                        .setAttribute("mmf.correlation_id", "corr-it-1")
                        .startSpan();
                traceId = root.getSpanContext().getTraceId();
                try (Scope ignored = root.makeCurrent()) {
                    gateway.getLogsBridge()
                            .get("com.acme.Gateway")
                            .logRecordBuilder()
                            .setSeverity(Severity.INFO)
                            .setBody("checkout started")
                            .setAttribute(AttributeKey.stringKey("correlation_id"), "corr-it-1")
                            .emit();
                    Span child = ord.spanBuilder("POST /orders")
                            .setSpanKind(SpanKind.SERVER)
                            .setAttribute("http.route", "/orders")
                            .setAttribute("http.response.status_code", 500L)
                            .setAttribute("mmf.correlation_id", "corr-it-1")
                            .startSpan();
                    try (Scope s2 = child.makeCurrent()) {
                        orders.getLogsBridge()
                                .get("com.acme.Orders")
                                .logRecordBuilder()
                                .setSeverity(Severity.ERROR)
                                .setBody("order failed: stock service down")
                                .setAttribute(AttributeKey.stringKey("correlation_id"), "corr-it-1")
                                .setAttribute(AttributeKey.stringKey("category"), "business")
                                .emit();
                    }
                    child.setStatus(StatusCode.ERROR, "stock down");
                    child.end();
                }
                root.end();
                LongCounter counter =
                        orders.getMeter("it").counterBuilder("mmf_orders_total").build();
                counter.add(3, Attributes.of(AttributeKey.stringKey("outcome"), "success"));
                assertThat(orders.getSdkMeterProvider()
                                .forceFlush()
                                .join(10, TimeUnit.SECONDS)
                                .isSuccess())
                        .isTrue();
            }

            JsonNode trace = get(base, "/api/traces/" + traceId);
            assertThat(trace.at("/summary/spanCount").asInt()).isEqualTo(2);
            assertThat(trace.at("/summary/rootName").asText()).isEqualTo("GET /checkout");
            assertThat(trace.at("/summary/services"))
                    .extracting(JsonNode::asText)
                    .containsExactly("gateway", "orders");
            assertThat(trace.at("/summary/errorCount").asInt()).isEqualTo(1);
            assertThat(trace.at("/spans/1/parentSpanId").asText())
                    .isEqualTo(trace.at("/spans/0/spanId").asText());

            JsonNode logs = get(base, "/api/logs?traceId=" + traceId).get("logs");
            assertThat(logs).hasSize(2);
            JsonNode errorLog = get(base, "/api/logs?level=ERROR").get("logs").get(0);
            assertThat(errorLog.get("body").asText()).isEqualTo("order failed: stock service down");
            assertThat(errorLog.get("service").asText()).isEqualTo("orders");
            assertThat(errorLog.get("logger").asText()).isEqualTo("com.acme.Orders");
            assertThat(errorLog.get("traceId").asText()).isEqualTo(traceId);

            JsonNode corr = get(base, "/api/correlations/corr-it-1");
            assertThat(corr.get("spanCount").asInt()).isEqualTo(2);
            assertThat(corr.get("logCount").asInt()).isEqualTo(2);
            assertThat(corr.get("services")).extracting(JsonNode::asText).containsExactly("gateway", "orders");

            JsonNode series = get(base, "/api/metrics?name=mmf_orders_total").get("series");
            assertThat(series).hasSize(1);
            assertThat(series.get(0).get("value").asDouble()).isEqualTo(3.0);
            assertThat(series.get(0).get("service").asText()).isEqualTo("orders");

            JsonNode services = get(base, "/api/services").get("services");
            assertThat(services).extracting(s -> s.get("service").asText()).containsExactly("gateway", "orders");
            assertThat(services.get(1).get("errors").asLong()).isEqualTo(1);

            JsonNode errors =
                    get(base, "/api/traces?status=error&service=orders").get("traces");
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).get("traceId").asText()).isEqualTo(traceId);
        }
    }

    @Test
    void storeLimitsHoldUnderContinuousLoad() throws Exception {
        int maxSpans = 2_000;
        int maxLogs = 1_000;
        try (ConsoleServer console = ConsoleServer.builder()
                        .port(0)
                        .maxSpans(maxSpans)
                        .maxLogs(maxLogs)
                        .maxMetricPoints(500)
                        .build()
                        .start();
                OpenTelemetrySdk sdk = sdkWithBatching(console.url(), "load")) {
            Tracer tracer = sdk.getTracer("load");
            var logger = sdk.getLogsBridge().get("load");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int total = 20_000; // ten times the span limit
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                Span s = tracer.spanBuilder("op-" + (i % 50))
                        .setSpanKind(SpanKind.SERVER)
                        .setAttribute("mmf.correlation_id", "corr-" + i)
                        .startSpan();
                try (Scope ignored = s.makeCurrent()) {
                    logger.logRecordBuilder()
                            .setBody("line " + i)
                            .setAttribute(AttributeKey.stringKey("correlation_id"), "corr-" + i)
                            .emit();
                }
                s.end();
            }
            sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS);
            sdk.getSdkLoggerProvider().forceFlush().join(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode st = get(console.url(), "/api/stats");
                assertThat(st.at("/spans/evicted").asLong()).isGreaterThan(total / 2);
            });
            JsonNode stats = get(console.url(), "/api/stats");
            assertThat(stats.at("/spans/count").asInt()).isEqualTo(maxSpans);
            assertThat(stats.at("/spans/traces").asInt()).isLessThanOrEqualTo(maxSpans);
            assertThat(stats.at("/logs/count").asInt()).isLessThanOrEqualTo(maxLogs);
            assertThat(stats.at("/logs/correlationIds").asInt()).isLessThanOrEqualTo(maxLogs);
            assertThat(stats.at("/receiver/badRequests").asLong()).isZero();
            // evicted correlation ids are gone from the index, the newest are searchable
            assertThat(get(console.url(), "/api/correlations/corr-0").get("items"))
                    .isEmpty();
            JsonNode newest =
                    get(console.url(), "/api/logs?limit=1").get("logs").get(0);
            assertThat(get(
                                    console.url(),
                                    "/api/correlations/"
                                            + newest.get("correlationId").asText())
                            .get("logCount")
                            .asInt())
                    .isEqualTo(1);
        }
    }

    static OpenTelemetrySdk sdkWithBatching(String endpoint, String service) {
        Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service));
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setResource(resource)
                        .addSpanProcessor(io.opentelemetry.sdk.trace.export.BatchSpanProcessor.builder(
                                        OtlpHttpSpanExporter.builder()
                                                .setEndpoint(endpoint + "/v1/traces")
                                                .build())
                                .setMaxQueueSize(50_000)
                                .setMaxExportBatchSize(1_000)
                                .build())
                        .build())
                .setLoggerProvider(SdkLoggerProvider.builder()
                        .setResource(resource)
                        .addLogRecordProcessor(io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor.builder(
                                        OtlpHttpLogRecordExporter.builder()
                                                .setEndpoint(endpoint + "/v1/logs")
                                                .build())
                                .setMaxQueueSize(50_000)
                                .setMaxExportBatchSize(1_000)
                                .build())
                        .build())
                .build();
    }
}
