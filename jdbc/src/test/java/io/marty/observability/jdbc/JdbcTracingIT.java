package io.marty.observability.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.marty.observability.jdbc.internal.JdbcTelemetry;
import io.marty.observability.testing.MartyObservabilityExtension;
import io.marty.observability.testing.PostgresServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** {@link MartyDataSource} over real databases: H2 in memory and a PostgreSQL 15 server behind HikariCP. */
class JdbcTracingIT {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    private static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
    private static final AttributeKey<String> QUERY = AttributeKey.stringKey("db.query.text");
    private static final AtomicInteger DATABASES = new AtomicInteger();

    static PostgresServer postgres;

    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("jdbc-test");

    private final ListAppender<ILoggingEvent> slowLog = new ListAppender<>();
    private HikariDataSource pool;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void captureSlowLog() {
        slowLog.start();
        ((Logger) LoggerFactory.getLogger(JdbcTelemetry.SLOW_QUERY_LOGGER)).addAppender(slowLog);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(JdbcTelemetry.SLOW_QUERY_LOGGER)).detachAppender(slowLog);
        if (pool != null) {
            pool.close();
        }
    }

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private DataSource raw(String db) {
        if (db.equals("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:jdbc" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
            return h2;
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(10_000);
        pool = new HikariDataSource(config);
        return pool;
    }

    private DataSource traced(String db, Duration slow) throws SQLException {
        DataSource ds = MartyDataSource.builder(raw(db), marty.observability())
                .slowQueryThreshold(slow)
                .build();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS orders");
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(100), total DECIMAL(10,2))");
        }
        marty.testing().reset();
        slowLog.list.clear();
        return ds;
    }

    private SpanData span(String name) {
        return marty.testing().awaitSpan(SpanKind.CLIENT, name);
    }

    private double operations(String db, String operation, String outcome) {
        return marty.testing()
                .sum(
                        "mmf_db_client_operations_total",
                        Map.of("db_system", db, "operation", operation, "outcome", outcome));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void statementsPreparedBatchesAndTransactionsAreSpansWithMetrics(String db) throws Exception {
        DataSource ds = traced(db, Duration.ofMinutes(1));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO orders (id, customer, total) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "customer-" + i);
                    ps.setBigDecimal(3, new java.math.BigDecimal("9.99"));
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(3);
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE orders SET total = 1 WHERE id = 1");
            }
            c.rollback();
            try (PreparedStatement ps = c.prepareStatement("SELECT total FROM orders WHERE id = ?")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("9.99");
                }
                assertThat(ps.getConnection()).isSameAs(c);
            }
        }

        SpanData batch = span("BATCH INSERT orders");
        assertThat(batch.getAttributes().get(SYSTEM)).isEqualTo(db);
        assertThat(batch.getAttributes().get(OPERATION)).isEqualTo("BATCH INSERT");
        assertThat(batch.getAttributes().get(COLLECTION)).isEqualTo("orders");
        assertThat(batch.getAttributes().get(AttributeKey.longKey("db.operation.batch.size")))
                .isEqualTo(3L);
        assertThat(batch.getAttributes().get(QUERY))
                .isEqualTo("INSERT INTO orders (id, customer, total) VALUES (?, ?, ?)");
        SpanData update = span("UPDATE orders");
        assertThat(update.getAttributes().get(QUERY)).isEqualTo("UPDATE orders SET total = ? WHERE id = ?");
        SpanData select = span("SELECT orders");
        assertThat(select.getAttributes().get(QUERY)).isEqualTo("SELECT total FROM orders WHERE id = ?");
        assertThat(span("COMMIT").getAttributes().get(OPERATION)).isEqualTo("COMMIT");
        assertThat(span("ROLLBACK").getAttributes().get(OPERATION)).isEqualTo("ROLLBACK");
        if (db.equals("postgresql")) {
            assertThat(select.getAttributes().get(AttributeKey.stringKey("server.address")))
                    .isEqualTo("127.0.0.1");
            assertThat(select.getAttributes().get(AttributeKey.longKey("server.port")))
                    .isEqualTo((long) postgres.port());
        } else {
            assertThat(select.getAttributes().get(AttributeKey.stringKey("server.address")))
                    .as("H2 in memory has no server")
                    .isNull();
        }

        assertThat(operations(db, "BATCH INSERT", "success")).isEqualTo(1.0);
        assertThat(operations(db, "UPDATE", "success")).isEqualTo(1.0);
        assertThat(operations(db, "SELECT", "success")).isEqualTo(1.0);
        assertThat(operations(db, "COMMIT", "success")).isEqualTo(1.0);
        assertThat(operations(db, "ROLLBACK", "success")).isEqualTo(1.0);
        String metrics = marty.testing().metricsText();
        assertThat(metrics)
                .contains("mmf_db_client_operation_duration_seconds_count{db_system=\"" + db
                        + "\",operation=\"SELECT\",outcome=\"success\",service=\"jdbc-test\"} 1")
                .contains("mmf_db_client_connection_wait_duration_seconds_count{db_system=\"" + db
                        + "\",outcome=\"success\",service=\"jdbc-test\"} 2");
        assertThat(slowLog.list).as("nothing over a minute").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFailedStatementIsAnErrorWithoutItsMessage(String db) throws Exception {
        DataSource ds = traced(db, Duration.ofMinutes(1));
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders (id, customer) VALUES (7, 'S3CR3T-dup')");
            assertThatThrownBy(() -> s.execute("INSERT INTO orders (id, customer) VALUES (7, 'S3CR3T-dup')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("7");
        }
        List<SpanData> inserts = marty.testing().spans().stream()
                .filter(sp -> sp.getName().equals("INSERT orders"))
                .toList();
        assertThat(inserts).hasSize(2);
        SpanData failed = inserts.get(1);
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getStatus().getDescription()).isEmpty();
        assertThat(failed.getEvents())
                .as("no exception event: its message holds the values")
                .isEmpty();
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("db.response.status_code")))
                .isEqualTo("23505");
        assertThat(SQLException.class.isAssignableFrom(
                        Class.forName(failed.getAttributes().get(AttributeKey.stringKey("error.type")))))
                .isTrue();
        assertThat(failed.toString()).doesNotContain("S3CR3T");
        assertThat(operations(db, "INSERT", "error")).isEqualTo(1.0);
        assertThat(operations(db, "INSERT", "success")).isEqualTo(1.0);
    }

    /**
     * Statements full of literals run on the real servers (so they are valid SQL, not strings the
     * sanitiser alone has to agree with); with every statement logged as slow, neither the spans, the
     * metrics nor the log lines hold any of the secret values.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void noLiteralReachesSpansMetricsOrLogs(String db) throws Exception {
        DataSource ds = traced(db, Duration.ofNanos(1));
        List<String> statements = new java.util.ArrayList<>(List.of(
                "INSERT INTO orders (id, customer, total) VALUES (101, 'S3CR3T-a', 12345.67)",
                "INSERT INTO orders (id, customer, total) VALUES (102, 'O''S3CR3T', 1.5e3)",
                "INSERT INTO orders (id, customer) VALUES (103, /* S3CR3T comment */ 'x') -- S3CR3T tail",
                "SELECT * FROM orders WHERE customer IN ('S3CR3T-1', 'S3CR3T-2', 'S3CR3T-3') AND id > 98765",
                "UPDATE orders SET customer = 'S3CR3T-b' WHERE id = 101",
                "SELECT X'5EC2E7' FROM orders",
                "SELECT $$S3CR3T dollar$$ FROM orders"));
        if (db.equals("postgresql")) {
            statements.add("SELECT E'S3CR3T\\' escaped', $tag$ S3CR3T 'quoted' $tag$, B'1011', U&'S3CR3T'");
            statements.add("SELECT 'C:\\', 'S3CR3T after backslash'");
            statements.add("INSERT INTO orders (id, customer) VALUES (201, 'S3CR3T-m1'); "
                    + "DELETE FROM orders WHERE customer = 'S3CR3T-m2'");
        } else {
            statements.add("SELECT 'C:\\', 'S3CR3T after backslash', 0x5EC2E7 FROM orders");
        }
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            s.addBatch("UPDATE orders SET total = 42.42 WHERE customer = 'S3CR3T-batch1'");
            s.addBatch("DELETE FROM orders WHERE customer = 'S3CR3T-batch2'");
            s.executeBatch();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM orders WHERE customer <> 'S3CR3T-p' AND id = ?")) {
                ps.setInt(1, 101);
                ps.executeQuery().close();
            }
        }
        List<SpanData> spans = marty.testing().spans();
        assertThat(spans).hasSize(statements.size() + 2);
        for (SpanData span : spans) {
            assertThat(span.getName() + " " + span.getAttributes())
                    .doesNotContain("S3CR3T")
                    .doesNotContain("12345")
                    .doesNotContain("98765")
                    .doesNotContain("5EC2E7")
                    .doesNotContain("1011")
                    .doesNotContain("42.42");
        }
        assertThat(marty.testing().metricsText()).doesNotContain("S3CR3T").doesNotContain("98765");
        assertThat(slowLog.list).hasSize(statements.size() + 2);
        for (ILoggingEvent event : slowLog.list) {
            assertThat(event.getMarkerList()).extracting(m -> m.getName()).contains("mmf.category.performance");
            assertThat(event.getFormattedMessage() + " " + event.getKeyValuePairs())
                    .startsWith("slow query (")
                    .doesNotContain("S3CR3T")
                    .doesNotContain("12345")
                    .doesNotContain("98765")
                    .doesNotContain("5EC2E7")
                    .doesNotContain("42.42");
        }
        assertThat(marty.testing().instrumentationErrors(SqlSanitizer.COMPONENT))
                .isZero();
    }
}
