package io.marty.observability.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console under hostile or careless clients: slow, huge, rebinding, oddly spelled. */
@Timeout(120)
class ConsoleHardeningTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "s3cret-token-0123456789";
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> get(ConsoleServer c, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(c.url() + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts over a fresh socket (a client keeping the last request would distort heap figures). */
    static int postProtobuf(ConsoleServer c, String path, byte[] body) throws Exception {
        try (RawHttp raw = new RawHttp(c.port())) {
            raw.write("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n");
            raw.write(body);
            return raw.read().status();
        }
    }

    JsonNode stats(ConsoleServer c) throws Exception {
        HttpResponse<String> r = get(c, "/api/stats");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service)))
                .build();
    }

    static ByteString id(int bytes, long n) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < 8; i++) {
            b[bytes - 1 - i] = (byte) (n >>> (8 * i));
        }
        return ByteString.copyFrom(b);
    }

    static byte[] traces(Span.Builder... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span.Builder s : spans) {
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                        ResourceSpans.newBuilder().setResource(resource("shop")).addScopeSpans(scope))
                .build()
                .toByteArray();
    }

    static Span.Builder span(long n, String name) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return Span.newBuilder()
                .setTraceId(id(16, n))
                .setSpanId(id(8, n))
                .setName(name)
                .setStartTimeUnixNano(now)
                .setEndTimeUnixNano(now + 1_000_000);
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void partialRequestsHoldNoWorkerAndOthersAreStillAnswered() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start()) {
            List<RawHttp> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    RawHttp c = new RawHttp(console.port());
                    c.write("GET / HTTP/1.1\r\nHost: x\r\n"); // and nothing more
                    slow.add(c);
                }
                long start = System.nanoTime();
                HttpResponse<String> r = get(console, "/api/stats");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            } finally {
                for (RawHttp c : slow) {
                    c.close();
                }
            }
        }
    }

    @Test
    void partialRequestIsClosedAfterTheIdleTimeout() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder()
                        .port(0)
                        .idleTimeout(Duration.ofMillis(500))
                        .build()
                        .start();
                RawHttp c = new RawHttp(console.port())) {
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\n");
            long start = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTricklingBodyIsCutOffLongBeforeTheIdleTimeout() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start();
                RawHttp c = new RawHttp(console.port())) {
            c.write("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: 100000\r\n\r\n");
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 150; i++) { // 10 bytes/s, never silent long enough for the idle timeout
                        c.write(new byte[] {0});
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // cut off: what the test waits for
                }
            });
            trickle.setDaemon(true);
            long start = System.nanoTime();
            trickle.start();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            trickle.interrupt();
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOthersGo() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder()
                .port(0)
                .maxConnections(2)
                .idleTimeout(Duration.ofMillis(1500))
                .build()
                .start()) {
            try (RawHttp a = new RawHttp(console.port());
                    RawHttp b = new RawHttp(console.port())) {
                a.write("GET / HTTP/1.1\r\n");
                b.write("GET / HTTP/1.1\r\n");
                Thread.sleep(200); // both accepted: the limit is reached
                long start = System.nanoTime();
                try (RawHttp third = new RawHttp(console.port())) {
                    third.write(RawHttp.get("/api/stats", "localhost"));
                    assertThat(third.read().status()).isEqualTo(200);
                }
                // answered only once the idle ones were closed
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(800));
            }
        }
    }

    @Test
    void keepAliveResponsesDoNotWaitForDelayedAcks() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start();
                RawHttp c = new RawHttp(console.port())) {
            byte[] body = traces(span(1, "GET /x"));
            String head = "POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            for (int i = 0; i < 5; i++) { // warm up
                c.write(RawHttp.get("/api/stats", "localhost"));
                c.read();
            }
            int n = 40;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                c.write(RawHttp.get("/api/stats", "localhost"));
                assertThat(c.read().status()).isEqualTo(200);
                c.write(head);
                c.write(body);
                assertThat(c.read().status()).isEqualTo(200);
            }
            double perRequestMillis = (System.nanoTime() - start) / 1e6 / (2 * n);
            // Nagle plus a 40 ms delayed ACK made every keep-alive response take over 40 ms
            assertThat(perRequestMillis).isLessThan(20);
        }
    }

    @Test
    void withoutTokenOnlyLoopbackAndAllowedHostNamesAreAnswered() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder()
                .port(0)
                .allowedHost("Console.Example")
                .build()
                .start()) {
            int port = console.port();
            for (String host : List.of(
                    "attacker.example:" + port, "attacker.example", "localhost.attacker.example", "10.0.0.1:" + port)) {
                try (RawHttp c = new RawHttp(port)) {
                    c.write(RawHttp.get("/api/logs", host));
                    assertThat(c.read().status()).as(host).isEqualTo(403);
                }
                try (RawHttp c = new RawHttp(port)) {
                    byte[] body = traces(span(7, "x"));
                    c.write("POST /v1/traces HTTP/1.1\r\nHost: " + host
                            + "\r\nContent-Type: application/x-protobuf\r\nContent-Length: " + body.length
                            + "\r\n\r\n");
                    c.write(body);
                    assertThat(c.read().status()).as(host).isEqualTo(403);
                }
            }
            for (String host : List.of(
                    "localhost:" + port,
                    "LOCALHOST",
                    "127.0.0.1:" + port,
                    "127.8.9.10",
                    "[::1]:" + port,
                    "console.example:" + port)) {
                try (RawHttp c = new RawHttp(port)) {
                    c.write(RawHttp.get("/api/logs", host));
                    assertThat(c.read().status()).as(host).isEqualTo(200);
                }
            }
        }
        // with a token the token decides, whatever the host name
        try (ConsoleServer console = ConsoleServer.builder()
                        .port(0)
                        .accessToken(TOKEN)
                        .build()
                        .start();
                RawHttp c = new RawHttp(console.port())) {
            c.write(RawHttp.get("/api/logs", "console.internal.example", "Authorization: Bearer " + TOKEN));
            assertThat(c.read().status()).isEqualTo(200);
        }
    }

    @Test
    void onlyANonLoopbackBindCountsAsExposed() {
        assertThat(ConsoleServer.builder().build().exposed()).isFalse();
        assertThat(ConsoleServer.builder().bind("::1").build().exposed()).isFalse();
        // not started: binding every interface is only configured here
        assertThat(ConsoleServer.builder()
                        .bind("0.0.0.0")
                        .accessToken(TOKEN)
                        .build()
                        .exposed())
                .isTrue();
    }

    @Test
    void bearerSchemeIsCaseInsensitive() throws Exception {
        try (ConsoleServer console =
                ConsoleServer.builder().port(0).accessToken(TOKEN).build().start()) {
            for (String scheme : List.of("Bearer", "bearer", "BEARER", "bEaReR")) {
                try (RawHttp c = new RawHttp(console.port())) {
                    c.write(RawHttp.get("/api/stats", "localhost", "Authorization: " + scheme + " " + TOKEN));
                    assertThat(c.read().status()).as(scheme).isEqualTo(200);
                }
            }
            try (RawHttp c = new RawHttp(console.port())) {
                c.write(RawHttp.get("/api/stats", "localhost", "Authorization: Basic " + TOKEN));
                assertThat(c.read().status()).isEqualTo(401);
            }
        }
    }

    @Test
    void clientWritingAHugeBodyFirstReads413NotAReset() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder()
                        .port(0)
                        .maxRequestBytes(64 * 1024)
                        .build()
                        .start();
                RawHttp c = new RawHttp(console.port())) {
            int size = 48 * 1024 * 1024;
            c.write("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: " + size + "\r\n\r\n");
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < size / chunk.length; i++) {
                c.write(chunk);
            }
            RawHttp.Answer a = c.read();
            assertThat(a.status()).isEqualTo(413);
            assertThat(stats(console).at("/receiver/oversize").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aMillionAttributeSpanKeepsTheLimitAndTheHeapFlat() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder()
                .port(0)
                .maxRequestBytes(32 * 1024 * 1024)
                .build()
                .start()) {
            long before = usedHeapAfterGc();
            int count = 1_000_000;
            for (int round = 0; round < 3; round++) {
                sendManyAttributes(console, 100 + round, count);
            }
            long grown = usedHeapAfterGc() - before;
            // three spans of 128 attributes each: nothing like the million sent
            assertThat(grown).isLessThan(48L * 1024 * 1024);
            JsonNode stats = stats(console);
            assertThat(stats.at("/receiver/dropped/attributes").asLong()).isEqualTo(3L * (count - 128));
            HttpResponse<String> trace = get(
                    console,
                    "/api/traces/" + HexFormat.of().formatHex(id(16, 101).toByteArray()));
            assertThat(trace.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(trace.body()).at("/spans/0/attributes").size())
                    .isEqualTo(128);
            assertThat(get(console, "/api/logs").statusCode()).isEqualTo(200);
        }
    }

    void sendManyAttributes(ConsoleServer console, long n, int count) throws Exception {
        Span.Builder s = span(n, "huge");
        for (int i = 0; i < count; i++) {
            s.addAttributes(KeyValue.newBuilder()
                    .setKey(Integer.toString(i, 36))
                    .setValue(AnyValue.newBuilder().setIntValue(i)));
        }
        assertThat(postProtobuf(console, "/v1/traces", traces(s))).isEqualTo(200);
    }

    @Test
    void sevenMegabyteNamesAreClippedEverywhere() throws Exception {
        String huge = "n".repeat(7 * 1024 * 1024);
        try (ConsoleServer console = ConsoleServer.builder()
                .port(0)
                .maxRequestBytes(32 * 1024 * 1024) // three such names per request
                .build()
                .start()) {
            long before = usedHeapAfterGc();
            for (int i = 0; i < 4; i++) {
                sendHugeNames(console, huge, i); // in a method, so its request bodies are garbage after it
            }
            assertThat(usedHeapAfterGc() - before).isLessThan(16L * 1024 * 1024);
            HttpResponse<String> metrics = get(console, "/api/metrics");
            assertThat(metrics.body().length()).isLessThan(64 * 1024);
            JsonNode series = JSON.readTree(metrics.body()).get("series");
            assertThat(series).hasSize(1); // the clipped names are equal: one series
            assertThat(series.get(0).get("name").asText()).hasSizeLessThan(1100);
            assertThat(series.get(0).get("unit").asText()).hasSizeLessThan(1100);
            JsonNode log = JSON.readTree(get(console, "/api/logs").body()).at("/logs/0");
            assertThat(log.get("logger").asText()).hasSizeLessThan(1100);
            assertThat(log.get("body").asText()).hasSizeLessThan(8300);
            HttpResponse<String> trace = get(
                    console,
                    "/api/traces/" + HexFormat.of().formatHex(id(16, 200).toByteArray()));
            JsonNode span0 = JSON.readTree(trace.body()).at("/spans/0");
            assertThat(span0.get("name").asText()).hasSizeLessThan(1100);
            assertThat(span0.at("/events/0/name").asText()).hasSizeLessThan(1100);
            assertThat(span0.get("statusMessage").asText()).hasSizeLessThan(1100);
        }
    }

    void sendHugeNames(ConsoleServer console, String huge, int i) throws Exception {
        Span.Builder s = span(200 + i, huge)
                .addEvents(Span.Event.newBuilder().setName(huge))
                .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setMessage(huge));
        assertThat(postProtobuf(console, "/v1/traces", traces(s))).isEqualTo(200);
        byte[] metrics = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("shop"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName(huge))
                                .addMetrics(Metric.newBuilder()
                                        .setName(huge.substring(i))
                                        .setUnit("u" + huge.substring(4))
                                        .setGauge(Gauge.newBuilder()
                                                .addDataPoints(NumberDataPoint.newBuilder()
                                                        .setAsDouble(1))))))
                .build()
                .toByteArray();
        assertThat(postProtobuf(console, "/v1/metrics", metrics)).isEqualTo(200);
        byte[] logs = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(resource("shop"))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName(huge))
                                .addLogRecords(LogRecord.newBuilder()
                                        .setTimeUnixNano(1)
                                        .setBody(AnyValue.newBuilder().setStringValue(huge))
                                        .addAttributes(KeyValue.newBuilder()
                                                .setKey(huge)
                                                .setValue(AnyValue.newBuilder().setStringValue(huge))))))
                .build()
                .toByteArray();
        assertThat(postProtobuf(console, "/v1/logs", logs)).isEqualTo(200);
    }

    @Test
    void oneMetricsRequestWithAHugeNameAndManyPointsIsLinear() throws Exception {
        String name = "m".repeat(1024 * 1024);
        Gauge.Builder gauge = Gauge.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < 100_000; i++) {
            gauge.addDataPoints(
                    NumberDataPoint.newBuilder().setTimeUnixNano(now + i).setAsDouble(i));
        }
        byte[] body = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("shop"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName(name).setGauge(gauge))))
                .build()
                .toByteArray();
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start()) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(URI.create(console.url() + "/v1/metrics"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.statusCode()).isEqualTo(200);
            // this took 104 s when the series key was rebuilt from the whole name for every point
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
            assertThat(resp.getPartialSuccess().getRejectedDataPoints()).isEqualTo(50_000);
            assertThat(resp.getPartialSuccess().getErrorMessage()).contains("more than 50000 data points");
            assertThat(get(console, "/api/metrics").statusCode()).isEqualTo(200);
            assertThat(stats(console).at("/metricPoints/series").asInt()).isEqualTo(1);
        }
    }
}
