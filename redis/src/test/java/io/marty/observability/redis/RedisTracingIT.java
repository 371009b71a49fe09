package io.marty.observability.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.marty.observability.http.MartyHttpServerFilter;
import io.marty.observability.testing.MartyObservabilityExtension;
import io.marty.observability.testing.RedisServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MartyRedisCommandListener} on Lettuce against a real redis-server on 127.0.0.1. */
class RedisTracingIT {
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");

    static RedisServer redis;

    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("orders-cache");

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void connect() {
        RedisURI uri = RedisURI.create(redis.uri());
        uri.setTimeout(Duration.ofSeconds(10));
        client = RedisClient.create(uri);
        client.addListener(MartyRedisCommandListener.builder(marty.observability())
                .cache("orders")
                .server(uri)
                .build());
        connection = client.connect();
        connection.sync().flushall();
        marty.testing().reset();
    }

    @AfterEach
    void disconnect() {
        connection.close();
        client.shutdown(0, 5, TimeUnit.SECONDS);
    }

    private double cache(String operation, String result) {
        return marty.testing()
                .sum("mmf_cache_operations_total", Map.of("cache", "orders", "operation", operation, "result", result));
    }

    @Test
    void commandsAreSpansWithoutArgumentsAndReadsCountHitsAndMisses() {
        RedisCommands<String, String> sync = connection.sync();
        assertThat(sync.get("order:S3CR3T-key")).isNull();
        sync.set("order:S3CR3T-key", "S3CR3T-value");
        assertThat(sync.get("order:S3CR3T-key")).isEqualTo("S3CR3T-value");
        sync.hset("h:1", "f", "v");
        assertThat(sync.hgetall("h:2")).isEmpty();

        assertThat(cache("GET", "miss")).isEqualTo(1.0);
        assertThat(cache("GET", "hit")).isEqualTo(1.0);
        assertThat(cache("SET", "success")).isEqualTo(1.0);
        assertThat(cache("HGETALL", "miss")).isEqualTo(1.0);
        SpanData set = marty.testing().awaitSpan(SpanKind.CLIENT, "SET");
        assertThat(set.getAttributes().get(AttributeKey.stringKey("db.system.name")))
                .isEqualTo("redis");
        assertThat(set.getAttributes().get(OPERATION)).isEqualTo("SET");
        assertThat(set.getAttributes().get(AttributeKey.stringKey("server.address")))
                .isEqualTo("127.0.0.1");
        assertThat(set.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) redis.port());
        for (SpanData span : marty.testing().spans()) {
            assertThat(span.toString()).doesNotContain("S3CR3T");
        }
        assertThat(marty.testing().metricsText()).doesNotContain("S3CR3T");
    }

    @Test
    void aFailedCommandIsAnErrorWithoutItsMessage() {
        RedisCommands<String, String> sync = connection.sync();
        sync.set("plain", "S3CR3T");
        assertThatThrownBy(() -> sync.hget("plain", "field")).isInstanceOf(RedisCommandExecutionException.class);
        SpanData failed = marty.testing().awaitSpan(SpanKind.CLIENT, "HGET");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getStatus().getDescription()).isEmpty();
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo(RedisCommandExecutionException.class.getName());
        assertThat(cache("HGET", "error")).isEqualTo(1.0);
    }

    @Test
    void pipelinedCommandsEachGetASpanUnderTheCaller() throws Exception {
        Span parent = marty.observability()
                .openTelemetry()
                .getTracer("test")
                .spanBuilder("pipeline")
                .startSpan();
        RedisAsyncCommands<String, String> async = connection.async();
        connection.setAutoFlushCommands(false);
        List<RedisFuture<?>> futures;
        try (Scope ignored = parent.makeCurrent()) {
            futures = List.of(async.set("a", "1"), async.incr("counter"), async.get("a"));
        }
        connection.flushCommands();
        for (RedisFuture<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        connection.setAutoFlushCommands(true);
        parent.end();
        for (String name : List.of("SET", "INCR", "GET")) {
            SpanData span = marty.testing().awaitSpan(SpanKind.CLIENT, name);
            assertThat(span.getParentSpanId())
                    .as(name)
                    .isEqualTo(parent.getSpanContext().getSpanId());
        }
        assertThat(cache("GET", "hit")).isEqualTo(1.0);
    }

    @Test
    void endToEndHttpRequestToCacheCarriesTheCorrelationId() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/orders", this::cachedOrder)
                .getFilters()
                .add(MartyHttpServerFilter.create(marty.observability()));
        server.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (String expected : List.of("miss", "hit")) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + server.getAddress().getPort() + "/orders"))
                                .header("X-MMF-Correlation-ID", "corr-redis-e2e-" + expected)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo(expected);
            }
        } finally {
            server.stop(0);
        }
        SpanData request = marty.testing().awaitSpan(SpanKind.SERVER, "GET /orders");
        SpanData get = marty.testing().spans().stream()
                .filter(s -> s.getName().equals("GET") && s.getParentSpanId().equals(request.getSpanId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no GET span under the request: " + marty.testing().spans()));
        assertThat(get.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(get.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo("corr-redis-e2e-miss");
        assertThat(cache("GET", "miss")).isEqualTo(1.0);
        assertThat(cache("GET", "hit")).isEqualTo(1.0);
    }

    /** Cache-aside: GET, and on a miss SET; answers whether it was a hit. */
    private void cachedOrder(HttpExchange exchange) throws IOException {
        RedisCommands<String, String> sync = connection.sync();
        String cached = sync.get("order:42");
        if (cached == null) {
            sync.setex("order:42", 60, "19.90");
        }
        byte[] body = (cached == null ? "miss" : "hit").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
