package io.marty.observability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.testing.LogCapture;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fail open, per HTTP integration on real servers: a hook that throws (a {@code RequestListener},
 * a request wrapper of an earlier filter, a correlation value the client refuses as a header)
 * never changes the response, and is counted in {@code mmf_instrumentation_errors_total} under the
 * integration's component and logged throttled.
 */
class FailOpenHttpIT {
    private static final int CALLS = 8;
    private static final String BREAK = "X-Test-Break";
    /** A user id the application set that no HTTP client accepts as a header value. */
    private static final String NOT_A_HEADER_VALUE = "Zoë ☃";

    private MartyTesting marty;
    private HttpServer server;
    private ExecutorService executor;
    private LogCapture log;

    @BeforeEach
    void start() throws IOException {
        marty = MartyTesting.start("failopen-test");
        log = new LogCapture();
        executor = Executors.newFixedThreadPool(4);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        HttpContext context = server.createContext("/", FailOpenHttpIT::echoHeaders);
        context.getFilters().add(new BreakingWrapperFilter());
        context.getFilters().add(MartyHttpServerFilter.create(marty.observability()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
        log.close();
        marty.close();
    }

    private void throwingListener() {
        marty.observability().metrics().red().addListener(request -> {
            throw new IllegalStateException("listener bug");
        });
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void jdkServerFilterAndClientWrapperServeEveryRequestWhenAListenerThrows() throws Exception {
        throwingListener();
        MartyHttpClient client = MartyHttpClient.wrap(HttpClient.newHttpClient(), marty.observability());
        for (int i = 0; i < CALLS; i++) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(uri("/orders/" + i + "?status=201")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.body()).startsWith("traceparent=00-");
        }
        // the server filter and the client wrapper both recorded every call, each calling the listener
        log.assertCountedAndThrottled(marty, InstrumentationErrors.REQUEST_LISTENER, 2 * CALLS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(marty.requests(Map.of("direction", "server", "status", "201")))
                    .isEqualTo(CALLS);
            assertThat(marty.requests(Map.of("direction", "client", "status", "201")))
                    .isEqualTo(CALLS);
        });
        assertThat(marty.instrumentationErrors(InstrumentationErrors.HTTP_SERVER))
                .isZero();
    }

    @Test
    void jdkServerFilterServesUninstrumentedWhenAnEarlierFiltersWrapperThrows() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        for (int i = 0; i < CALLS; i++) {
            HttpResponse<String> response = plain.send(
                    HttpRequest.newBuilder(uri("/orders/" + i + "?status=202"))
                            .header(BREAK, "remote-address")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.headers().firstValue("X-MMF-Correlation-ID"))
                    .as("not instrumented")
                    .isEmpty();
        }
        log.assertCountedAndThrottled(marty, InstrumentationErrors.HTTP_SERVER, CALLS);
        assertThat(marty.spans()).isEmpty();
        assertThat(marty.requests(Map.of("direction", "server"))).isZero();
    }

    @Test
    void jdkClientWrapperSendsTheOtherHeadersWhenACorrelationValueIsRejected() throws Exception {
        MartyHttpClient client = MartyHttpClient.wrap(HttpClient.newHttpClient(), marty.observability());
        CorrelationContext caller = CorrelationContext.newRoot().toBuilder()
                .userId(NOT_A_HEADER_VALUE)
                .build();
        for (int i = 0; i < CALLS; i++) {
            HttpResponse<String> response;
            try (Scope ignored = caller.makeCurrent()) {
                response = client.send(
                        HttpRequest.newBuilder(uri("/users/" + i)).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .startsWith("traceparent=00-")
                    .contains("|corr=" + caller.correlationId() + "|")
                    .endsWith("|user=null");
        }
        log.assertCountedAndThrottled(marty, InstrumentationErrors.HTTP_CLIENT, CALLS);
        SpanData clientSpan = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> marty.spans().stream()
                                .filter(s -> s.getKind() == SpanKind.CLIENT)
                                .findFirst()
                                .orElse(null),
                        s -> s != null);
        assertThat(clientSpan.getName()).isEqualTo("GET /users/{id}");
    }

    @Test
    void okHttpInterceptorServesEveryCallWhenAListenerThrowsOrAValueIsRejected() throws Exception {
        throwingListener();
        okhttp3.OkHttpClient ok = new okhttp3.OkHttpClient.Builder()
                .addInterceptor(MartyOkHttpInterceptor.create(marty.observability()))
                .build();
        CorrelationContext caller = CorrelationContext.newRoot().toBuilder()
                .userId(NOT_A_HEADER_VALUE)
                .build();
        for (int i = 0; i < CALLS; i++) {
            try (Scope ignored = caller.makeCurrent();
                    okhttp3.Response response = ok.newCall(new okhttp3.Request.Builder()
                                    .url(uri("/carts/" + i + "?status=404").toString())
                                    .build())
                            .execute()) {
                assertThat(response.code()).isEqualTo(404);
                assertThat(response.body().string())
                        .startsWith("traceparent=00-")
                        .contains("|corr=" + caller.correlationId() + "|");
            }
        }
        log.assertCountedAndThrottled(marty, InstrumentationErrors.HTTP_CLIENT, CALLS);
        log.assertCountedAndThrottled(marty, InstrumentationErrors.REQUEST_LISTENER, 2 * CALLS);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(marty.requests(Map.of("direction", "client", "status", "404")))
                        .isEqualTo(CALLS));
    }

    @Test
    void servletFilterOnJettyServesEveryRequestWhenAListenerOrAnEarlierWrapperThrows() throws Exception {
        throwingListener();
        try (JettyTestServer jetty = JettyTestServer.builder()
                .filter((req, res, chain) -> chain.doFilter(
                        ((HttpServletRequest) req).getHeader(BREAK) == null
                                ? req
                                : new HttpServletRequestWrapper((HttpServletRequest) req) {
                                    @Override
                                    public String getHeader(String name) {
                                        if (name.equalsIgnoreCase("User-Agent")) {
                                            throw new IllegalStateException("broken request wrapper");
                                        }
                                        return super.getHeader(name);
                                    }
                                },
                        res))
                .filter(MartyServletFilter.create(marty.observability()))
                .servlet("/*", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.setStatus(203);
                        resp.getWriter().write("served");
                    }
                })
                .start()) {
            HttpClient plain = HttpClient.newHttpClient();
            for (int i = 0; i < CALLS; i++) {
                for (boolean broken : List.of(false, true)) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jetty.url("/items/" + i)));
                    if (broken) {
                        request.header(BREAK, "user-agent");
                    }
                    HttpResponse<String> response = plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(203);
                    assertThat(response.body()).isEqualTo("served");
                    assertThat(response.headers()
                                    .firstValue("X-MMF-Correlation-ID")
                                    .isPresent())
                            .isEqualTo(!broken);
                }
            }
        }
        log.assertCountedAndThrottled(marty, InstrumentationErrors.REQUEST_LISTENER, CALLS);
        log.assertCountedAndThrottled(marty, InstrumentationErrors.HTTP_SERVER, CALLS);
        assertThat(marty.requests(Map.of("direction", "server", "status", "203")))
                .isEqualTo(CALLS);
    }

    /** Echoes the propagation headers the server received. */
    private static void echoHeaders(HttpExchange exchange) throws IOException {
        Headers h = exchange.getRequestHeaders();
        String body = "traceparent=" + h.getFirst("traceparent") + "|corr=" + h.getFirst("X-MMF-Correlation-ID")
                + "|user=" + h.getFirst("X-MMF-User-ID");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getQuery();
        exchange.sendResponseHeaders(
                query != null && query.startsWith("status=") ? Integer.parseInt(query.substring(7)) : 200,
                bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An earlier filter whose exchange wrapper fails on {@code getRemoteAddress} when asked to. */
    private static final class BreakingWrapperFilter extends Filter {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            chain.doFilter(exchange.getRequestHeaders().containsKey(BREAK) ? new BrokenExchange(exchange) : exchange);
        }

        @Override
        public String description() {
            return "wraps the exchange";
        }
    }

    private static final class BrokenExchange extends HttpExchange {
        private final HttpExchange d;

        BrokenExchange(HttpExchange delegate) {
            this.d = delegate;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            throw new IllegalStateException("broken exchange wrapper");
        }

        @Override
        public Headers getRequestHeaders() {
            return d.getRequestHeaders();
        }

        @Override
        public Headers getResponseHeaders() {
            return d.getResponseHeaders();
        }

        @Override
        public URI getRequestURI() {
            return d.getRequestURI();
        }

        @Override
        public String getRequestMethod() {
            return d.getRequestMethod();
        }

        @Override
        public HttpContext getHttpContext() {
            return d.getHttpContext();
        }

        @Override
        public void close() {
            d.close();
        }

        @Override
        public InputStream getRequestBody() {
            return d.getRequestBody();
        }

        @Override
        public OutputStream getResponseBody() {
            return d.getResponseBody();
        }

        @Override
        public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
            d.sendResponseHeaders(rCode, responseLength);
        }

        @Override
        public int getResponseCode() {
            return d.getResponseCode();
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return d.getLocalAddress();
        }

        @Override
        public String getProtocol() {
            return d.getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            return d.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            d.setAttribute(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            d.setStreams(i, o);
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return d.getPrincipal();
        }
    }
}
