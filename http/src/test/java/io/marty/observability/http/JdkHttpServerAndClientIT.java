package io.marty.observability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.testing.MartyObservabilityExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDK HttpServer filter and the HttpClient wrapper against each other on 127.0.0.1. */
class JdkHttpServerAndClientIT {

    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("jdk-test");

    private HttpServer server;
    private ExecutorService executor;
    private MartyHttpClient client;

    @BeforeEach
    void start() throws IOException {
        executor = Executors.newFixedThreadPool(4);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        MartyHttpServerFilter filter = MartyHttpServerFilter.create(marty.observability());
        server.createContext("/", JdkHttpServerAndClientIT::echo).getFilters().add(filter);
        server.createContext("/boom", exchange -> {
                    throw new IllegalStateException("handler failed on purpose");
                })
                .getFilters()
                .add(filter);
        server.createContext("/slow", exchange -> {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    echo(exchange);
                })
                .getFilters()
                .add(filter);
        server.start();
        client = MartyHttpClient.wrap(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), marty.observability());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void echo(HttpExchange exchange) throws IOException {
        CorrelationContext c = CorrelationContext.current();
        String body = c.correlationId() + "|" + c.requestId() + "|" + c.parentRequestId();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String status = exchange.getRequestURI().getQuery();
        exchange.sendResponseHeaders(
                status != null && status.startsWith("status=") ? Integer.parseInt(status.substring(7)) : 200,
                bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private SpanData awaitSpan(SpanKind kind, String name) {
        return marty.testing().awaitSpan(kind, name);
    }

    @Test
    void syncCallPropagatesTraceAndCorrelationAndRecordsBothSides() throws Exception {
        CorrelationContext caller = CorrelationContext.newRoot();
        HttpResponse<String> response;
        try (Scope ignored = caller.makeCurrent()) {
            response = client.send(
                    HttpRequest.newBuilder(uri("/orders/42")).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).isEqualTo(200);
        String[] seen = response.body().split("\\|");
        assertThat(seen[0]).isEqualTo(caller.correlationId());
        assertThat(seen[2]).as("parent request id").isEqualTo(caller.requestId());
        assertThat(seen[1]).isNotEqualTo(caller.requestId());
        assertThat(response.headers().firstValue("X-MMF-Request-ID")).contains(seen[1]);

        SpanData clientSpan = awaitSpan(SpanKind.CLIENT, "GET /orders/{id}");
        SpanData serverSpan = awaitSpan(SpanKind.SERVER, "GET /orders/{id}");
        assertThat(serverSpan.getTraceId()).isEqualTo(clientSpan.getTraceId());
        assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
        assertThat(clientSpan.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(200L);
        assertThat(clientSpan.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo(caller.correlationId());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(marty.testing()
                            .requests(Map.of("direction", "client", "route", "/orders/{id}", "status", "200")))
                    .isEqualTo(1.0);
            assertThat(marty.testing()
                            .requests(Map.of("direction", "server", "route", "/orders/{id}", "status", "200")))
                    .isEqualTo(1.0);
        });
    }

    @Test
    void asyncCallIsInstrumented() throws Exception {
        HttpResponse<String> response = client.sendAsync(
                        HttpRequest.newBuilder(uri("/items/7?status=404")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(404);
        SpanData clientSpan = awaitSpan(SpanKind.CLIENT, "GET /items/{id}");
        assertThat(clientSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        SpanData serverSpan = awaitSpan(SpanKind.SERVER, "GET /items/{id}");
        assertThat(serverSpan.getStatus().getStatusCode())
                .as("4xx is not a server error")
                .isEqualTo(StatusCode.UNSET);
        assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(marty.testing()
                                .requests(Map.of("direction", "client", "status", "404", "outcome", "client_error")))
                        .isEqualTo(1.0));
    }

    @Test
    void connectErrorIsRecordedAsClientSideError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/pay"))
                .build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(marty.testing()
                            .requests(Map.of(
                                    "direction", "client", "route", "/pay", "status", "0", "outcome", "server_error")))
                    .isEqualTo(2.0);
            assertThat(marty.testing().sum("mmf_errors", Map.of("route", "/pay", "error_type", "connect_error")))
                    .isEqualTo(2.0);
        });
        SpanData span = awaitSpan(SpanKind.CLIENT, "GET /pay");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(HttpConnectTimeoutException.class).isNotNull();
    }

    @Test
    void timeoutIsRecordedAsError() {
        HttpRequest request = HttpRequest.newBuilder(uri("/slow"))
                .timeout(Duration.ofMillis(200))
                .build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(marty.testing()
                                .sum(
                                        "mmf_errors",
                                        Map.of("direction", "client", "route", "/slow", "error_type", "timeout")))
                        .isEqualTo(1.0));
    }

    @Test
    void okHttpInterceptorPropagatesAndRecordsConnectErrors() throws Exception {
        okhttp3.OkHttpClient ok = new okhttp3.OkHttpClient.Builder()
                .addInterceptor(MartyOkHttpInterceptor.create(marty.observability()))
                .build();
        CorrelationContext caller = CorrelationContext.newRoot();
        String body;
        try (Scope ignored = caller.makeCurrent();
                okhttp3.Response response = ok.newCall(new okhttp3.Request.Builder()
                                .url(uri("/carts/77").toString())
                                .build())
                        .execute()) {
            assertThat(response.code()).isEqualTo(200);
            body = response.body().string();
        }
        String[] seen = body.split("\\|");
        assertThat(seen[0]).isEqualTo(caller.correlationId());
        assertThat(seen[2]).isEqualTo(caller.requestId());
        SpanData clientSpan = awaitSpan(SpanKind.CLIENT, "GET /carts/{id}");
        SpanData serverSpan = awaitSpan(SpanKind.SERVER, "GET /carts/{id}");
        assertThat(serverSpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        okhttp3.Request refused = new okhttp3.Request.Builder()
                .url("http://127.0.0.1:" + closedPort + "/pay")
                .build();
        assertThatThrownBy(() -> ok.newCall(refused).execute()).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(marty.testing().requests(Map.of("direction", "client", "route", "/carts/{id}", "status", "200")))
                    .isEqualTo(1.0);
            assertThat(marty.testing().sum("mmf_errors", Map.of("route", "/pay", "error_type", "connect_error")))
                    .isEqualTo(1.0);
        });
        ok.dispatcher().executorService().shutdown();
        ok.connectionPool().evictAll();
    }

    @Test
    void throwingHandlerIsRecordedAs500AndServiceKeepsAnswering() throws Exception {
        assertThatThrownBy(() ->
                        client.send(HttpRequest.newBuilder(uri("/boom")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class); // the JDK server closes the connection
        SpanData span = awaitSpan(SpanKind.SERVER, "GET /boom");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(500L);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(client.send(HttpRequest.newBuilder(uri("/orders/1")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        List<SpanData> spans = marty.spans();
        assertThat(spans).isNotEmpty();
    }

    @Test
    void healthPathIsExcludedByDefault() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).isEmpty();
        assertThat(marty.testing().labelValues("mmf_requests", "route")).doesNotContain("/health");
    }
}
