package io.marty.observability.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.marty.observability.core.tracing.CorrelationAttributes;
import io.marty.observability.jdbc.MartyDataSource;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Boot's own DataSource (Hikari over in-memory H2) on a real embedded server: a query made while a
 * request is handled is a CLIENT span under the request's SERVER span, with its correlation id.
 */
@SpringBootTest(
        classes = JdbcRequestTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "marty.service.name=orders-db",
            "marty.tracing.exporter=none",
            "spring.datasource.url=jdbc:h2:mem:orders-db;DB_CLOSE_DELAY=-1"
        })
class JdbcRequestTest {
    private static MartyTesting marty;

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Orders.class)
    static class App {}

    @RestController
    static class Orders {
        private final JdbcTemplate jdbc;

        Orders(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GetMapping("/orders/{id}")
        String total(@PathVariable("id") int id) {
            return String.valueOf(jdbc.queryForObject("SELECT total FROM orders WHERE id = ?", Integer.class, id));
        }
    }

    // before the context, which adopts this running instance
    @BeforeAll
    static void startMarty() {
        marty = MartyTesting.start("orders-db");
    }

    @AfterAll
    static void stopMarty() {
        marty.close();
    }

    @Test
    void queryInARequestIsAChildSpanWithTheRequestsCorrelationId() throws Exception {
        assertThat(dataSource).isInstanceOf(MartyDataSource.class);
        jdbc.execute("CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total INT)");
        jdbc.update("MERGE INTO orders KEY (id) VALUES (42, 1999)");
        assertThat(dataSource.unwrap(HikariDataSource.class).isRunning()).isTrue(); // the pool, through unwrap
        marty.reset();

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/42"))
                                .header("X-MMF-Correlation-ID", "db-corr-0001")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1999");
        SpanData select = marty.awaitSpan(SpanKind.CLIENT, "SELECT orders");
        SpanData request = marty.awaitSpan(SpanKind.SERVER, "GET /orders/{id}");
        assertThat(select.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(select.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(select.getAttributes().get(CorrelationAttributes.CORRELATION_ID))
                .isEqualTo("db-corr-0001");
        assertThat(marty.metricsText()).contains("mmf_db_client_operations_total{");
    }
}
