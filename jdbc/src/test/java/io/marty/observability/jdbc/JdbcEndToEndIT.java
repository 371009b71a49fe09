package io.marty.observability.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.http.MartyHttpServerFilter;
import io.marty.observability.testing.MartyObservabilityExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP request with {@code X-MMF-Correlation-ID} → the real HTTP server filter → a handler querying H2
 * through {@link MartyDataSource}: the database span is the request span's child, carries the
 * correlation id, and the DB metric moved.
 */
class JdbcEndToEndIT {
    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("orders-db");

    private HttpServer server;
    private DataSource dataSource;

    @BeforeEach
    void start() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:e2e;DB_CLOSE_DELAY=-1");
        dataSource = MartyDataSource.wrap(h2, marty.observability());
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total DECIMAL(10,2))");
            s.execute("MERGE INTO orders KEY (id) VALUES (42, 19.90)");
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/orders", this::order)
                .getFilters()
                .add(MartyHttpServerFilter.create(marty.observability()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void order(HttpExchange exchange) throws IOException {
        String body;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT total FROM orders WHERE id = ?")) {
            ps.setInt(1, 42);
            try (ResultSet rs = ps.executeQuery()) {
                body = rs.next() ? rs.getBigDecimal(1).toPlainString() : "none";
            }
        } catch (SQLException e) {
            body = "error";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void theQuerySpanIsAChildOfTheRequestAndCarriesTheCorrelationId() throws Exception {
        double before =
                marty.testing().sum("mmf_db_client_operations_total", Map.of("db_system", "h2", "operation", "SELECT"));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + server.getAddress().getPort() + "/orders"))
                                .header("X-MMF-Correlation-ID", "corr-jdbc-e2e-1")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("19.90");

        SpanData request = marty.testing().awaitSpan(SpanKind.SERVER, "GET /orders");
        SpanData query = marty.testing().awaitSpan(SpanKind.CLIENT, "SELECT orders");
        assertThat(query.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(query.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(query.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo("corr-jdbc-e2e-1");
        assertThat(query.getAttributes().get(AttributeKey.stringKey("db.query.text")))
                .isEqualTo("SELECT total FROM orders WHERE id = ?");
        assertThat(marty.testing()
                        .sum(
                                "mmf_db_client_operations_total",
                                Map.of("db_system", "h2", "operation", "SELECT", "outcome", "success")))
                .isEqualTo(before + 1);
    }
}
