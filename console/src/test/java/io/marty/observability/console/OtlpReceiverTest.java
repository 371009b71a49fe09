package io.marty.observability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {
    static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    ConsoleServer console;

    @BeforeEach
    void start() {
        console = ConsoleServer.builder()
                .port(0)
                .maxRequestBytes(64 * 1024)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        console.close();
    }

    static String spanJson(String traceId, String spanId, String name) {
        return """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
              "scopeSpans":[{"scope":{"name":"test"},"spans":[{
                "traceId":"%s","spanId":"%s","name":"%s","kind":2,
                "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000",
                "attributes":[{"key":"mmf.correlation_id","value":{"stringValue":"corr-1"}},
                              {"key":"http.response.status_code","value":{"intValue":"503"}},
                              {"key":"http.route","value":{"stringValue":"/orders/{id}"}}],
                "status":{"code":2,"message":"boom"}}]}]}]}
            """.formatted(traceId, spanId, name);
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console.url() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(console.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void jsonSpanKeepsHexIdsEnumIntsAndStringInt64s() throws Exception {
        HttpResponse<byte[]> r = post(
                "/v1/traces",
                "application/json",
                spanJson(TRACE_ID, "eee19b7ec3c1b174", "GET /orders").getBytes());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

        JsonNode t = get("/api/traces/" + TRACE_ID);
        JsonNode span = t.get("spans").get(0);
        assertThat(span.get("traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(span.get("spanId").asText()).isEqualTo("eee19b7ec3c1b174");
        assertThat(span.get("kind").asText()).isEqualTo("SERVER");
        assertThat(span.get("status").asText()).isEqualTo("ERROR");
        assertThat(span.get("durationNanos").asLong()).isEqualTo(250_000_000L);
        assertThat(span.get("service").asText()).isEqualTo("checkout");
        assertThat(span.get("correlationId").asText()).isEqualTo("corr-1");
        assertThat(span.get("attributes").get("http.response.status_code").asText())
                .isEqualTo("503");
        assertThat(get("/api/traces?correlationId=corr-1")
                        .get("traces")
                        .get(0)
                        .get("traceId")
                        .asText())
                .isEqualTo(TRACE_ID);
        assertThat(get("/api/traces?status=ok").get("traces")).isEmpty();
    }

    @Test
    void partialSuccessNamesRejectedSpans() throws Exception {
        String two = spanJson(TRACE_ID, "eee19b7ec3c1b174", "good")
                .replace(
                        "\"status\":{\"code\":2,\"message\":\"boom\"}}]",
                        "\"status\":{}},{\"traceId\":\"abcd\",\"spanId\":\"eee19b7ec3c1b175\",\"name\":\"bad\"}]");
        HttpResponse<byte[]> r = post("/v1/traces", "application/json", two.getBytes());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/partialSuccess/rejectedSpans").asText()).isEqualTo("1");
        assertThat(body.at("/partialSuccess/errorMessage").asText())
                .contains("bad")
                .contains("trace id");
        assertThat(get("/api/stats").at("/spans/count").asInt()).isEqualTo(1);
    }

    @Test
    void partialSuccessInProtobufResponse() throws Exception {
        var req = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                        .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                                .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                        .setName("no ids"))))
                .build();
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", req.toByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    }

    @Test
    void malformedPayloadsGet400WithAMessage() throws Exception {
        HttpResponse<byte[]> json = post("/v1/traces", "application/json", "{\"resourceSpans\": 5}".getBytes());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(json.body()).get("message").asText())
                .contains("$.resourceSpans")
                .contains("expected an array");

        HttpResponse<byte[]> badHex = post(
                "/v1/traces",
                "application/json",
                spanJson("zz" + TRACE_ID.substring(2), "eee19b7ec3c1b174", "x").getBytes());
        assertThat(badHex.statusCode()).isEqualTo(400);
        assertThat(new String(badHex.body(), StandardCharsets.UTF_8))
                .contains("traceId")
                .contains("not a hex id");

        HttpResponse<byte[]> notJson = post("/v1/logs", "application/json", "{oops".getBytes());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(new String(notJson.body(), StandardCharsets.UTF_8)).contains("invalid JSON");

        HttpResponse<byte[]> proto = post("/v1/metrics", "application/x-protobuf", new byte[] {(byte) 0xff, 1, 2});
        assertThat(proto.statusCode()).isEqualTo(400);
        assertThat(new String(proto.body(), StandardCharsets.UTF_8)).contains("invalid OTLP protobuf payload");

        assertThat(post("/v1/traces", "text/plain", "x".getBytes()).statusCode())
                .isEqualTo(415);
    }

    @Test
    void oversizeGets413EvenWhenGzipHidesIt() throws Exception {
        byte[] big = new byte[70 * 1024];
        HttpResponse<byte[]> r = post("/v1/logs", "application/x-protobuf", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("payload too large");

        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(big); // zeros compress to a few hundred bytes
        }
        HttpResponse<byte[]> bomb =
                post("/v1/logs", "application/x-protobuf", zipped.toByteArray(), "Content-Encoding", "gzip");
        assertThat(bomb.statusCode()).isEqualTo(413);
    }

    @Test
    void gzipJsonIsAccepted() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(spanJson(TRACE_ID, "eee19b7ec3c1b174", "zipped").getBytes());
        }
        assertThat(post("/v1/traces", "application/json", zipped.toByteArray(), "Content-Encoding", "gzip")
                        .statusCode())
                .isEqualTo(200);
        assertThat(get("/api/traces/" + TRACE_ID).at("/spans/0/name").asText()).isEqualTo("zipped");
    }

    @Test
    void jsonLogsAreSearchableByLevelTextTraceAndCorrelation() throws Exception {
        String logs = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},
              "scopeLogs":[{"scope":{"name":"com.acme.Pay"},"logRecords":[
                {"timeUnixNano":"1700000000100000000","severityNumber":17,"severityText":"ERROR",
                 "body":{"stringValue":"card declined"},"traceId":"%s","spanId":"eee19b7ec3c1b174",
                 "attributes":[{"key":"correlation_id","value":{"stringValue":"corr-1"}},
                               {"key":"category","value":{"stringValue":"business"}}]},
                {"timeUnixNano":"1700000000200000000","severityNumber":9,"body":{"stringValue":"hello"}}]}]}]}
            """.formatted(TRACE_ID);
        assertThat(post("/v1/logs", "application/json", logs.getBytes()).statusCode())
                .isEqualTo(200);
        assertThat(get("/api/logs").get("logs")).hasSize(2);
        JsonNode err = get("/api/logs?level=WARN").get("logs");
        assertThat(err).hasSize(1);
        assertThat(err.get(0).get("body").asText()).isEqualTo("card declined");
        assertThat(err.get(0).get("logger").asText()).isEqualTo("com.acme.Pay");
        assertThat(err.get(0).get("category").asText()).isEqualTo("business");
        assertThat(get("/api/logs?q=DECLINED").get("logs")).hasSize(1);
        assertThat(get("/api/logs?traceId=" + TRACE_ID).get("logs")).hasSize(1);
        assertThat(get("/api/logs?correlationId=corr-1&category=business").get("logs"))
                .hasSize(1);
        assertThat(get("/api/logs?service=other").get("logs")).isEmpty();
        long first = get("/api/logs").get("logs").get(1).get("seq").asLong();
        assertThat(get("/api/logs?after=" + first)
                        .get("logs")
                        .get(0)
                        .get("body")
                        .asText())
                .isEqualTo("hello");

        post(
                "/v1/traces",
                "application/json",
                spanJson(TRACE_ID, "eee19b7ec3c1b174", "pay").getBytes());
        JsonNode corr = get("/api/correlations/corr-1");
        assertThat(corr.get("spanCount").asInt()).isEqualTo(1);
        assertThat(corr.get("logCount").asInt()).isEqualTo(1);
        assertThat(corr.get("items").get(0).get("type").asText()).isEqualTo("span");
        assertThat(corr.get("items").get(1).get("type").asText()).isEqualTo("log");
    }

    @Test
    void jsonMetricsWithExemplarsAndServicesOverview() throws Exception {
        String metrics = """
            {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
              "scopeMetrics":[{"metrics":[
                {"name":"mmf_request_duration_seconds","unit":"s","histogram":{"aggregationTemporality":2,"dataPoints":[
                  {"timeUnixNano":"1700000000000000000","count":"4","sum":2.0,"bucketCounts":["1","3"],"explicitBounds":[0.5],
                   "attributes":[{"key":"route","value":{"stringValue":"/orders"}}],
                   "exemplars":[{"asDouble":0.9,"timeUnixNano":"1700000000000000000","traceId":"%s","spanId":"eee19b7ec3c1b174"}]}]}},
                {"name":"mmf_active_requests","gauge":{"dataPoints":[{"asInt":"3","timeUnixNano":"1700000000000000000"}]}}]}]}]}
            """.formatted(TRACE_ID);
        assertThat(post("/v1/metrics", "application/json", metrics.getBytes()).statusCode())
                .isEqualTo(200);
        JsonNode series = get("/api/metrics").get("series");
        assertThat(series).hasSize(2);
        assertThat(series.get(1).get("name").asText()).isEqualTo("mmf_request_duration_seconds");
        assertThat(series.get(1).get("count").asLong()).isEqualTo(4);
        assertThat(series.get(1).at("/exemplars/0/traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(series.get(0).get("value").asDouble()).isEqualTo(3.0);

        post(
                "/v1/traces",
                "application/json",
                spanJson(TRACE_ID, "eee19b7ec3c1b174", "GET /orders").getBytes());
        JsonNode svc = get("/api/services?window=0").get("services").get(0);
        assertThat(svc.get("service").asText()).isEqualTo("checkout");
        assertThat(svc.get("requests").asLong()).isEqualTo(1);
        assertThat(svc.get("errors").asLong()).isEqualTo(1);
        assertThat(svc.at("/routes/0/route").asText()).isEqualTo("/orders/{id}");
    }

    @Test
    void badQueryParametersAre400AndUnknownTraceIs404() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(console.url() + "/api/traces?limit=lots"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("limit").contains("lots");
        HttpResponse<String> missing = http.send(
                HttpRequest.newBuilder(URI.create(console.url() + "/api/traces/" + TRACE_ID))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void nonLoopbackBindNeedsAToken() {
        assertThatThrownBy(() -> ConsoleServer.builder().bind("0.0.0.0").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0.0.0")
                .hasMessageContaining("token");
        assertThatThrownBy(() -> ConsoleServer.builder().accessToken("short")).hasMessageContaining("access token");
    }

    @Test
    void tokenIsEnforcedOnOtlpApiAndUi() throws Exception {
        String token = "s3cret-token-0123456789";
        try (ConsoleServer secured =
                ConsoleServer.builder().port(0).accessToken(token).build().start()) {
            URI traces = URI.create(secured.url() + "/v1/traces");
            byte[] body = spanJson(TRACE_ID, "eee19b7ec3c1b174", "x").getBytes();
            HttpRequest.Builder req = HttpRequest.newBuilder(traces)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            assertThat(http.send(req.build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(401);
            assertThat(http.send(
                                    req.header("Authorization", "Bearer " + token)
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> api = http.send(
                    HttpRequest.newBuilder(URI.create(secured.url() + "/api/stats"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(401);
            HttpResponse<String> ui = http.send(
                    HttpRequest.newBuilder(URI.create(secured.url() + "/?token=" + token))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ui.statusCode()).isEqualTo(200);
            String cookie = ui.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly");
            HttpResponse<String> withCookie = http.send(
                    HttpRequest.newBuilder(URI.create(secured.url() + "/api/stats"))
                            .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withCookie.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void uiIsServedWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(console.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<script src=\"/app.js\"");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(console.url() + "/../pom.xml"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .as("path traversal is refused (Jetty rejects the ambiguous path with 400)")
                .isIn(400, 404);
    }
}
