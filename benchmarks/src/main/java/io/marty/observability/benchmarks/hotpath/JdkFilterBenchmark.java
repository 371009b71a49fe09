package io.marty.observability.benchmarks.hotpath;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.http.HttpServerTelemetry;
import io.marty.observability.http.MartyHttpServerFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-request cost of {@link MartyHttpServerFilter} on the caller's thread (extract,
 * correlation ids, server span with its attributes, RED metrics with exemplar, MDC view, echoed
 * ids; access log off) around a hello handler, against the handler alone. At {@code sampleRate=0.05} (the
 * production default, parent-based, no incoming {@code traceparent}) 95 % of the requests take the unsampled path. The exchange is an
 * in-memory {@link HttpExchange} with the headers {@code wrk} sends, so no socket work is measured.
 * Span end includes the {@code SpanData} copy (the framework's test exporter hook is synchronous);
 * OTLP marshalling on the export thread is not included.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar JdkFilterBenchmark -prof gc}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdkFilterBenchmark {

    @Param({"1.0", "0.05"})
    public double sampleRate;

    private MartyObservability observability;
    private HttpServer server;
    private HttpContext context;
    private List<Filter> filters;

    private static final byte[] HELLO = "hello".getBytes();
    private static final HttpHandler HANDLER = exchange -> {
        exchange.sendResponseHeaders(200, HELLO.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(HELLO);
        }
    };

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        observability = HotPathState.start(sampleRate);
        server = HttpServer.create();
        context = new FakeContext(server);
        filters = List.of(MartyHttpServerFilter.create(
                HttpServerTelemetry.builder(observability).accessLog(false).build()));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        observability.close();
    }

    @Benchmark
    public int bare() throws IOException {
        FakeExchange exchange = new FakeExchange(context);
        // a Chain is single-use: it holds an iterator over its filters
        new Filter.Chain(List.of(), HANDLER).doFilter(exchange);
        return exchange.getResponseCode();
    }

    @Benchmark
    public int instrumented() throws IOException {
        FakeExchange exchange = new FakeExchange(context);
        new Filter.Chain(filters, HANDLER).doFilter(exchange);
        return exchange.getResponseCode();
    }

    private static final class FakeExchange extends HttpExchange {
        private static final URI URI_HELLO = URI.create("/hello");
        private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
        private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 50312);
        private final HttpContext context;
        private final Headers request = new Headers();
        private final Headers response = new Headers();
        private final Map<String, Object> attributes = new HashMap<>();
        private int status = -1;

        FakeExchange(HttpContext context) {
            this.context = context;
            request.add("Host", "127.0.0.1:8080");
        }

        @Override
        public Headers getRequestHeaders() {
            return request;
        }

        @Override
        public Headers getResponseHeaders() {
            return response;
        }

        @Override
        public URI getRequestURI() {
            return URI_HELLO;
        }

        @Override
        public String getRequestMethod() {
            return "GET";
        }

        @Override
        public HttpContext getHttpContext() {
            return context;
        }

        @Override
        public void close() {}

        @Override
        public InputStream getRequestBody() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public OutputStream getResponseBody() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void sendResponseHeaders(int rCode, long responseLength) {
            status = rCode;
            response.set("Content-length", Long.toString(responseLength));
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return REMOTE;
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return LOCAL;
        }

        @Override
        public String getProtocol() {
            return "HTTP/1.1";
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {}

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }

    private static final class FakeContext extends HttpContext {
        private final HttpServer server;
        private HttpHandler handler = HANDLER;

        FakeContext(HttpServer server) {
            this.server = server;
        }

        @Override
        public HttpHandler getHandler() {
            return handler;
        }

        @Override
        public void setHandler(HttpHandler h) {
            handler = h;
        }

        @Override
        public String getPath() {
            return "/";
        }

        @Override
        public HttpServer getServer() {
            return server;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return new HashMap<>();
        }

        @Override
        public List<Filter> getFilters() {
            return List.of();
        }

        @Override
        public Authenticator setAuthenticator(Authenticator auth) {
            return null;
        }

        @Override
        public Authenticator getAuthenticator() {
            return null;
        }
    }
}
