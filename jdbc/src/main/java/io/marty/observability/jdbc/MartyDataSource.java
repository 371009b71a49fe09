package io.marty.observability.jdbc;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.jdbc.internal.JdbcProxies;
import io.marty.observability.jdbc.internal.JdbcTelemetry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} that traces every statement of the connections it hands out: one CLIENT span per
 * {@code execute*} call, batch and {@code commit}/{@code rollback}, with the OTel database attributes
 * ({@code db.system.name}, {@code db.operation.name}, {@code db.collection.name}, {@code db.query.text}
 * sanitised by {@link SqlSanitizer}, {@code server.address}/{@code server.port}) and the correlation
 * attributes of the current context; the metrics {@code
 * mmf_db_client_operations_total{service,db_system,operation,outcome}}, {@code
 * mmf_db_client_operation_duration_seconds} and {@code mmf_db_client_connection_wait_duration_seconds}
 * (time in {@code getConnection}, pool wait included); and a {@code performance} category log line
 * (SLF4J logger {@value JdbcTelemetry#SLOW_QUERY_LOGGER}, WARN) with the sanitised statement for
 * operations slower than the threshold. Works over any DataSource, connection pools included: wrap the
 * pool, not the driver.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(hikariConfig);
 * DataSource dataSource = MartyDataSource.builder(pool, observability)
 *         .slowQueryThreshold(Duration.ofMillis(200))
 *         .build();
 * try (Connection c = dataSource.getConnection();
 *         PreparedStatement ps = c.prepareStatement("SELECT total FROM orders WHERE id = ?")) { ... }
 * }</pre>
 *
 * <p>Exception messages never reach the span (drivers quote the offending values in them): a failed
 * operation gets status ERROR, {@code error.type} (exception class) and {@code db.response.status_code}
 * (SQLState). Instrumentation failures are counted under {@value SqlSanitizer#COMPONENT} and the
 * statement runs as if not wrapped.
 */
public final class MartyDataSource implements DataSource {
    /** Slow-query threshold when the builder is given none. */
    public static final Duration DEFAULT_SLOW_QUERY_THRESHOLD = Duration.ofMillis(500);

    private final DataSource delegate;
    private final JdbcTelemetry telemetry;

    private MartyDataSource(Builder b) {
        this.delegate = b.delegate;
        this.telemetry = new JdbcTelemetry(b.observability, b.slowQueryThreshold, b.dbSystem);
    }

    /** {@code delegate} traced with the defaults. */
    public static MartyDataSource wrap(DataSource delegate, MartyObservability observability) {
        return builder(delegate, observability).build();
    }

    /** A builder wrapping {@code delegate}. */
    public static Builder builder(DataSource delegate, MartyObservability observability) {
        return new Builder(delegate, observability);
    }

    /** The wrapped DataSource. */
    public DataSource delegate() {
        return delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return traced(delegate::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return traced(() -> delegate.getConnection(username, password));
    }

    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    /** Times the wait for the connection (failed attempts too) and hands out the traced one. */
    private Connection traced(ConnectionSource source) throws SQLException {
        long start = System.nanoTime();
        Connection c = null;
        try {
            c = source.get();
        } finally {
            telemetry.connectionAcquired(c, start);
        }
        return JdbcProxies.connection(c, telemetry);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }

    @Override
    public String toString() {
        return "MartyDataSource[" + delegate + "]";
    }

    /** Settings of a {@link MartyDataSource}. */
    public static final class Builder {
        private final DataSource delegate;
        private final MartyObservability observability;
        private @Nullable Duration slowQueryThreshold = DEFAULT_SLOW_QUERY_THRESHOLD;
        private @Nullable String dbSystem;

        private Builder(DataSource delegate, MartyObservability observability) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.observability = Objects.requireNonNull(observability, "observability");
        }

        /**
         * Operations taking at least this long are logged (default {@link #DEFAULT_SLOW_QUERY_THRESHOLD});
         * null turns the slow-query log off.
         *
         * @throws IllegalArgumentException when it is zero or negative
         */
        public Builder slowQueryThreshold(@Nullable Duration threshold) {
            if (threshold != null && (threshold.isZero() || threshold.isNegative())) {
                throw new IllegalArgumentException(
                        "slowQueryThreshold: must be positive (or null to turn the log off), got " + threshold);
            }
            this.slowQueryThreshold = threshold;
            return this;
        }

        /**
         * The OTel {@code db.system.name} (e.g. {@code postgresql}); by default read from the first
         * connection's {@code DatabaseMetaData}.
         *
         * @throws IllegalArgumentException when it is blank
         */
        public Builder dbSystem(String dbSystem) {
            if (dbSystem == null || dbSystem.isBlank()) {
                throw new IllegalArgumentException("dbSystem: must not be blank");
            }
            this.dbSystem = dbSystem;
            return this;
        }

        /** The wrapped DataSource. */
        public MartyDataSource build() {
            return new MartyDataSource(this);
        }
    }
}
