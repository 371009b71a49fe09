package io.marty.observability.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.testing.MartyObservabilityExtension;
import io.marty.observability.testing.PostgresServer;
import io.marty.observability.testing.RedisServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo order service stores orders in a database (H2 by default, PostgreSQL when {@code
 * ORDERS_JDBC_URL} is set) and caches them in Redis when {@code ORDERS_REDIS_URL} is set: the
 * statements and cache commands are spans in the request's trace with its correlation id.
 */
class OrderStoreIT {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> CORRELATION = AttributeKey.stringKey("mmf.correlation_id");

    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("demo-shop");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void clearSettings() {
        System.clearProperty("ORDERS_JDBC_URL");
        System.clearProperty("ORDERS_REDIS_URL");
    }

    private String send(DemoServices demo, String method, String path, String correlationId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(demo.gatewayUri().resolve(path))
                .header("X-MMF-Correlation-ID", correlationId)
                .timeout(Duration.ofSeconds(20));
        if (method.equals("POST")) {
            b.POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u1\",\"amountCents\":1250}"));
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private List<SpanData> spansOf(String correlationId, String dbSystem) {
        return marty.testing().spans().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT)
                .filter(s -> correlationId.equals(s.getAttributes().get(CORRELATION)))
                .filter(s -> dbSystem.equals(s.getAttributes().get(SYSTEM)))
                .toList();
    }

    @Test
    void ordersGoToH2ByDefault() throws Exception {
        try (DemoServices demo = DemoServices.start(marty.observability())) {
            String order = send(demo, "POST", "checkout", "corr-h2-checkout");
            send(demo, "GET", "orders/" + DemoSupport.field(order, "orderId"), "corr-h2-get");
        }
        assertThat(spansOf("corr-h2-checkout", "h2"))
                .extracting(SpanData::getName)
                .containsExactly("UPDATE orders", "INSERT orders", "COMMIT");
        assertThat(spansOf("corr-h2-get", "h2")).extracting(SpanData::getName).containsExactly("SELECT orders");
    }

    @Test
    void ordersGoToPostgresqlAndAreCachedInRedis() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
                RedisServer redis = RedisServer.start()) {
            System.setProperty("ORDERS_JDBC_URL", postgres.jdbcUrl() + "?user=" + postgres.user());
            System.setProperty("ORDERS_REDIS_URL", redis.uri());
            try (DemoServices demo = DemoServices.start(marty.observability())) {
                String order = send(demo, "POST", "checkout", "corr-pg-checkout");
                String id = DemoSupport.field(order, "orderId");
                send(demo, "GET", "orders/" + id, "corr-pg-miss");
                send(demo, "GET", "orders/" + id, "corr-pg-hit");
            }
        }
        assertThat(spansOf("corr-pg-checkout", "postgresql"))
                .extracting(SpanData::getName)
                .containsExactly("UPDATE orders", "INSERT orders", "COMMIT");
        assertThat(spansOf("corr-pg-checkout", "redis"))
                .extracting(SpanData::getName)
                .containsExactly("DEL");
        assertThat(spansOf("corr-pg-miss", "redis"))
                .extracting(SpanData::getName)
                .containsExactly("GET", "SETEX");
        assertThat(spansOf("corr-pg-miss", "postgresql"))
                .extracting(SpanData::getName)
                .containsExactly("SELECT orders");
        assertThat(spansOf("corr-pg-hit", "redis"))
                .extracting(SpanData::getName)
                .containsExactly("GET");
        assertThat(spansOf("corr-pg-hit", "postgresql"))
                .as("served from the cache")
                .isEmpty();
        assertThat(marty.testing()
                        .sum(
                                "mmf_cache_operations_total",
                                Map.of("cache", "orders", "operation", "GET", "result", "hit")))
                .isEqualTo(1.0);
        assertThat(marty.testing()
                        .sum(
                                "mmf_db_client_operations_total",
                                Map.of("db_system", "postgresql", "operation", "COMMIT")))
                .isEqualTo(1.0);
    }
}
