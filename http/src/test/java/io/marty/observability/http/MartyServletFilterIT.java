package io.marty.observability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.Filter;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The servlet filter on a real embedded Jetty 12 on 127.0.0.1. */
class MartyServletFilterIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";

    private final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService asyncExecutor = Executors.newFixedThreadPool(2);
    private final TestServlets.StreamingServlet streaming = new TestServlets.StreamingServlet();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private MartyTesting marty;
    private JettyTestServer server;
    private ListAppender<ILoggingEvent> accessLog;

    /** Runs before the Marty filter: the request thread must arrive with no context and no MDC. */
    private final Filter leakProbe = (req, res, chain) -> {
        if (Context.current() != Context.root()) {
            leaks.add("context leaked into " + Thread.currentThread().getName());
        }
        if (MDC.getCopyOfContextMap() != null && !MDC.getCopyOfContextMap().isEmpty()) {
            leaks.add("MDC leaked: " + MDC.getCopyOfContextMap());
        }
        chain.doFilter(req, res);
    };

    @BeforeEach
    void start() throws Exception {
        marty = MartyTesting.start("servlet-test");
        HttpServerTelemetry telemetry = HttpServerTelemetry.builder(marty.observability())
                .routeTemplater(RouteTemplater.builder().maxRoutes(100).build())
                .build();
        server = JettyTestServer.builder()
                .maxThreads(12)
                .filter(leakProbe)
                .filter(MartyServletFilter.create(telemetry))
                .servlet("/boom", new TestServlets.ThrowingServlet())
                .servlet("/async", new TestServlets.AsyncServlet(asyncExecutor))
                .servlet("/big", streaming)
                .servlet("/*", new TestServlets.EchoServlet())
                .start();
        accessLog = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing(); // capture the MDC on the request thread
                super.append(event);
            }
        };
        accessLog.start();
        ((Logger) LoggerFactory.getLogger("mmf.access")).addAppender(accessLog);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger("mmf.access")).detachAppender(accessLog);
        server.close();
        marty.close();
        asyncExecutor.shutdownNow();
        assertThat(leaks).isEmpty();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private SpanData awaitServerSpan(String name) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> marty.spans().stream()
                                .filter(s -> s.getKind() == SpanKind.SERVER
                                        && s.getName().equals(name))
                                .findFirst()
                                .orElse(null),
                        s -> s != null);
    }

    @Test
    void instrumentsRequestAndEchoesIds() throws Exception {
        HttpResponse<String> response = get(
                "/orders/123?verbose=1",
                "X-MMF-Correlation-ID",
                "corr-abc-1",
                "X-MMF-Request-ID",
                "req-caller-1",
                "User-Agent",
                "it-test");
        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.headers().firstValue("X-MMF-Request-ID").orElseThrow();
        assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).contains("corr-abc-1");
        assertThat(requestId).isNotEqualTo("req-caller-1");
        String[] seen = response.body().split("\\|");
        assertThat(seen[0]).isEqualTo("corr-abc-1");
        assertThat(seen[1]).isEqualTo(requestId);
        assertThat(seen[2]).isEqualTo("req-caller-1");
        assertThat(seen[3]).as("MDC view").isEqualTo("corr-abc-1");

        SpanData span = awaitServerSpan("GET /orders/{id}");
        assertThat(span.getTraceId()).isEqualTo(seen[4]);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route")))
                .isEqualTo("/orders/{id}");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method")))
                .isEqualTo("GET");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(200L);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/orders/123");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("user_agent.original")))
                .isEqualTo("it-test");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo("corr-abc-1");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mmf.request_id")))
                .isEqualTo(requestId);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(marty.requests(Map.of(
                                "service", "servlet-test",
                                "protocol", "http",
                                "direction", "server",
                                "method", "GET",
                                "route", "/orders/{id}",
                                "status", "200",
                                "outcome", "success")))
                        .isEqualTo(1.0));

        await().atMost(Duration.ofSeconds(5)).until(() -> !accessLog.list.isEmpty());
        ILoggingEvent event = accessLog.list.get(0);
        assertThat(event.getKeyValuePairs())
                .extracting(kv -> kv.key + "=" + kv.value)
                .contains("category=access", "method=GET", "route=/orders/{id}", "status=200");
        assertThat(event.getMDCPropertyMap()).containsEntry("correlation_id", "corr-abc-1");
    }

    @Test
    void continuesAValidIncomingTrace() throws Exception {
        get("/orders/7", "traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01", "tracestate", "congo=t61,rojo=1");
        SpanData span = awaitServerSpan("GET /orders/{id}");
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN);
        assertThat(span.getParentSpanContext().isRemote()).isTrue();
        assertThat(span.getSpanContext().getTraceState().get("congo")).isEqualTo("t61");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", // too short for any version
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // uppercase hex
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // extra field, v00
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", // bad flags
                "garbage"
            })
    void badTraceparentStartsANewTraceAndTheServiceKeepsAnswering(String traceparent) throws Exception {
        HttpResponse<String> response = get("/orders/1", "traceparent", traceparent, "tracestate", "a=1");
        assertThat(response.statusCode()).isEqualTo(200);
        SpanData span = awaitServerSpan("GET /orders/{id}");
        assertThat(span.getTraceId()).isNotEqualTo(TRACE_ID).isNotEqualTo("0".repeat(32));
        assertThat(span.getTraceId().toUpperCase()).isNotEqualTo(TRACE_ID.toUpperCase());
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getSpanContext().getTraceState().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oversize", "space", "tab", "bare-cr", "non-ascii"})
    void invalidMmfValuesAreReplacedAndNeverEchoed(String kind) throws Exception {
        String bad;
        switch (kind) {
            case "oversize" -> bad = "c".repeat(129);
            case "space" -> bad = "evil value";
            case "tab" -> bad = "evil\tvalue";
            case "bare-cr" -> bad = "evil\rSet-Cookie: x=1";
            default -> bad = "évil";
        }
        RawHttp.Response response =
                RawHttp.get(server.port(), "/orders/1", "X-MMF-Correlation-ID: " + bad, "X-MMF-User-ID: " + bad);
        if (response.status() == 400) {
            // the container refused the header line itself: fine, as long as it keeps answering
            assertThat(get("/orders/1").statusCode()).isEqualTo(200);
            return;
        }
        assertThat(response.status()).isEqualTo(200);
        String echoed = response.headers().get("x-mmf-correlation-id");
        assertThat(echoed).isNotNull().hasSize(36).doesNotContain("evil").isNotEqualTo(bad);
        assertThat(response.headers()).doesNotContainKey("set-cookie");
        SpanData span = awaitServerSpan("GET /orders/{id}");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo(echoed);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mmf.user_id")))
                .isNull();
    }

    @Test
    void tenThousandDistinctRawPathsKeepRouteLabelsBounded() throws Exception {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<HttpResponse<Void>>> futures = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(server.url("/catalog/item-" + Integer.toString(i, 36) + "x")))
                    .build();
            futures.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<Void>> f : futures) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        Set<String> routes = marty.labelValues("mmf_requests", "route");
        assertThat(routes).hasSizeLessThanOrEqualTo(101).contains(RouteTemplater.DEFAULT_OVERFLOW_ROUTE);
        assertThat(marty.requests(Map.of("direction", "server"))).isEqualTo(10_000.0);
        assertThat(get("/orders/1").statusCode()).isEqualTo(200);
    }

    @Test
    void throwingHandlerIsRecordedAsServerErrorAndServiceKeepsAnswering() throws Exception {
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        SpanData span = awaitServerSpan("GET /boom");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getEvents()).anyMatch(e -> e.getName().equals("exception"));
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo(IllegalStateException.class.getName());
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                marty.requests(Map.of("route", "/boom", "status", "500", "outcome", "server_error")))
                        .isEqualTo(1.0));
        assertThat(marty.sum("mmf_errors", Map.of("route", "/boom"))).isEqualTo(1.0);
        assertThat(get("/orders/1").statusCode()).isEqualTo(200);
    }

    @Test
    void asyncRequestIsEndedWhenTheAsyncContextCompletes() throws Exception {
        HttpResponse<String> response = get("/async", "X-MMF-Correlation-ID", "async-corr");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).startsWith("async-corr|");
        SpanData span = awaitServerSpan("GET /async");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(202L);
        // the span covers the async part, not just the servlet's service() call
        assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isGreaterThanOrEqualTo(25_000_000L);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(marty.requests(Map.of("route", "/async", "status", "202")))
                        .isEqualTo(1.0));
    }

    @Test
    void clientDisconnectMidResponseIsRecordedAndServiceKeepsAnswering() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setReceiveBufferSize(4096);
            socket.getOutputStream()
                    .write("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(in.readNBytes(1024)).hasSize(1024);
            assertThat(streaming.firstChunkSent.await(10, TimeUnit.SECONDS)).isTrue();
            socket.setSoLinger(true, 0); // reset: the server's next writes fail
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> streaming.failure != null);
        SpanData span = awaitServerSpan("GET /big");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(499L);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo("client_disconnect");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                marty.requests(Map.of("route", "/big", "status", "499", "outcome", "client_error")))
                        .isEqualTo(1.0));
        assertThat(get("/orders/1").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsOnASmallPoolSeeOnlyTheirOwnContext() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        Map<String, String> mismatches = new ConcurrentHashMap<>();
        Set<String> generated = ConcurrentHashMap.newKeySet();
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int n = i;
                all.add(CompletableFuture.runAsync(
                        () -> {
                            try {
                                if (n % 3 == 0) {
                                    // no correlation header: must get a fresh id, never a neighbour's
                                    HttpResponse<String> r = get("/orders/" + n);
                                    String cid = r.headers()
                                            .firstValue("X-MMF-Correlation-ID")
                                            .orElse("none");
                                    if (!generated.add(cid) || !r.body().startsWith(cid + "|")) {
                                        mismatches.put("gen-" + n, r.body());
                                    }
                                    return;
                                }
                                String cid = "corr-" + n + "-" + UUID.randomUUID();
                                HttpResponse<String> r = get("/orders/" + n, "X-MMF-Correlation-ID", cid);
                                String[] seen = r.body().split("\\|");
                                if (!seen[0].equals(cid) || !seen[3].equals(cid)) {
                                    mismatches.put(cid, r.body());
                                }
                            } catch (Exception e) {
                                mismatches.put("error-" + n, e.toString());
                            }
                        },
                        callers));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        assertThat(mismatches).isEmpty();
        assertThat(generated).hasSize(100);
    }

    @Test
    void excludedPathsGetNoSpanNoMetricsNoEcho() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).isEmpty();
        get("/orders/1");
        awaitServerSpan("GET /orders/{id}");
        assertThat(marty.spans()).noneMatch(s -> s.getName().contains("/health"));
        assertThat(marty.labelValues("mmf_requests", "route")).doesNotContain("/health");
    }
}
