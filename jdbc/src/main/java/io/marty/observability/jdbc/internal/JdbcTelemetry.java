package io.marty.observability.jdbc.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.MartyCounter;
import io.marty.observability.core.metrics.MartyTimer;
import io.marty.observability.jdbc.SqlSanitizer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * What one wrapped {@code DataSource} reports to: the tracer, the DB metrics, the slow-query log and the
 * database it talks to (read from the first connection's metadata). Every method fails open.
 */
public final class JdbcTelemetry {
    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

    /** Logger of the slow-query lines (category {@code performance}). */
    public static final String SLOW_QUERY_LOGGER = "io.marty.observability.jdbc.slow-query";

    private static final String INSTRUMENTATION = "io.marty.observability.jdbc";
    // the logging module's category marker, by name: this module does not depend on it
    private static final Marker PERFORMANCE = MarkerFactory.getMarker("mmf.category.performance");
    private static final Logger SLOW_LOG = LoggerFactory.getLogger(SLOW_QUERY_LOGGER);
    private static final int CACHE_ENTRIES = 512;
    private static final int CACHE_MAX_SQL_CHARS = 4096;

    private final Tracer tracer;
    private final InstrumentationErrors errors;
    private final MartyCounter operations;
    private final MartyTimer durations;
    private final MartyTimer connectionWait;
    private final long slowNanos;
    private final @Nullable String configuredSystem;
    private final ConcurrentHashMap<String, SqlSanitizer.Result> sanitized = new ConcurrentHashMap<>();
    private volatile @Nullable DbInfo db;
    private volatile boolean learned;

    public JdbcTelemetry(
            MartyObservability observability, @Nullable Duration slowQueryThreshold, @Nullable String dbSystem) {
        this.tracer = observability.openTelemetry().getTracer(INSTRUMENTATION);
        this.errors = observability.metrics().instrumentationErrors();
        this.operations = observability
                .metrics()
                .counter(
                        "db_client_operations_total",
                        "Database client operations (statements, batches, commits, rollbacks).",
                        "db_system",
                        "operation",
                        "outcome");
        this.durations = observability
                .metrics()
                .timer(
                        "db_client_operation_duration_seconds",
                        "Database client operation duration in seconds.",
                        "db_system",
                        "operation",
                        "outcome");
        this.connectionWait = observability
                .metrics()
                .timer(
                        "db_client_connection_wait_duration_seconds",
                        "Time to obtain a connection from the DataSource (pool wait included).",
                        "db_system",
                        "outcome");
        this.slowNanos = slowQueryThreshold == null ? Long.MAX_VALUE : slowQueryThreshold.toNanos();
        this.configuredSystem = dbSystem;
        if (dbSystem != null) {
            this.db = new DbInfo(dbSystem, null, -1);
        }
    }

    /** Records the time {@code getConnection} took and learns the database from the first connection. */
    public void connectionAcquired(@Nullable Connection connection, long startNanos) {
        try {
            if (connection != null && !learned) {
                // once is enough: a DataSource talks to one database
                db = DbInfo.of(connection.getMetaData(), configuredSystem);
                learned = true;
            }
            connectionWait
                    .labels(system(), connection == null ? "error" : "success")
                    .recordSeconds((System.nanoTime() - startNanos) / 1e9);
        } catch (SQLException | RuntimeException e) {
            errors.record(SqlSanitizer.COMPONENT, "cannot read the connection metadata", e);
        }
    }

    String system() {
        DbInfo d = db;
        return d == null ? "other_sql" : d.system;
    }

    /** The sanitised statement, cached for short statements (prepared statements repeat). */
    SqlSanitizer.Result sanitize(@Nullable String sql) {
        if (sql == null) {
            return SqlSanitizer.REDACTED;
        }
        SqlSanitizer.Result r = sanitized.get(sql);
        if (r != null) {
            return r;
        }
        DbInfo d = db;
        r = SqlSanitizer.sanitize(sql, SqlSanitizer.Dialect.ofDbSystem(d == null ? null : d.system));
        if (sql.length() <= CACHE_MAX_SQL_CHARS && sanitized.size() < CACHE_ENTRIES) {
            sanitized.put(sql, r);
        }
        return r;
    }

    /**
     * Starts the span of one operation; null when the instrumentation failed (the operation then runs
     * uninstrumented).
     *
     * @param batchSize statements in a batch, 0 for a single statement
     */
    @Nullable
    Operation start(SqlSanitizer.Result sql, String operation, int batchSize) {
        try {
            DbInfo d = db;
            String system = d == null ? "other_sql" : d.system;
            String collection = sql.collection();
            // OTel span name: "{operation} {collection}", the operation alone, or the system
            String name = operation.equals(SqlSanitizer.OTHER_OPERATION)
                    ? system
                    : collection == null ? operation : operation + " " + collection;
            SpanBuilder b = tracer.spanBuilder(name)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(DB_SYSTEM_NAME, system)
                    .setAttribute(DB_OPERATION_NAME, operation)
                    .setAttribute(DB_QUERY_TEXT, sql.text());
            if (collection != null) {
                b.setAttribute(DB_COLLECTION_NAME, collection);
            }
            if (batchSize > 1) {
                b.setAttribute(DB_BATCH_SIZE, (long) batchSize);
            }
            if (d != null && d.address != null) {
                b.setAttribute(SERVER_ADDRESS, d.address);
                if (d.port > 0) {
                    b.setAttribute(SERVER_PORT, (long) d.port);
                }
            }
            return new Operation(b.startSpan(), system, operation, sql, System.nanoTime());
        } catch (RuntimeException e) {
            errors.record(SqlSanitizer.COMPONENT, "cannot start the database span", e);
            return null;
        }
    }

    /** Ends the span, records the metrics and, over the threshold, the slow-query line. */
    void end(@Nullable Operation op, @Nullable Throwable failure) {
        if (op == null) {
            return;
        }
        try {
            long nanos = System.nanoTime() - op.startNanos;
            String outcome = failure == null ? "success" : "error";
            if (failure != null) {
                // the exception message is left out: drivers quote the offending values in it
                op.span.setStatus(StatusCode.ERROR);
                op.span.setAttribute(ERROR_TYPE, failure.getClass().getName());
                if (failure instanceof SQLException s && s.getSQLState() != null) {
                    op.span.setAttribute(DB_RESPONSE_STATUS_CODE, s.getSQLState());
                }
            }
            op.span.end();
            operations.labels(op.system, op.operation, outcome).inc();
            durations.labels(op.system, op.operation, outcome).recordSeconds(nanos / 1e9);
            if (nanos >= slowNanos) {
                logSlow(op, nanos, outcome);
            }
        } catch (RuntimeException e) {
            errors.record(SqlSanitizer.COMPONENT, "cannot end the database span", e);
        }
    }

    private static void logSlow(Operation op, long nanos, String outcome) {
        if (!SLOW_LOG.isWarnEnabled(PERFORMANCE)) {
            return;
        }
        double ms = nanos / 1_000_000.0;
        SLOW_LOG.atWarn()
                .addMarker(PERFORMANCE)
                .addKeyValue("operation", "db.query")
                .addKeyValue("duration_ms", ms)
                .addKeyValue("outcome", outcome)
                .addKeyValue("db.system.name", op.system)
                .addKeyValue("db.operation.name", op.operation)
                .addKeyValue("db.query.text", op.sql.text())
                .setMessage(() -> String.format(Locale.ROOT, "slow query (%.1f ms): %s", ms, op.sql.text()))
                .log();
    }

    /** One started operation. */
    static final class Operation {
        final Span span;
        final String system;
        final String operation;
        final SqlSanitizer.Result sql;
        final long startNanos;

        Operation(Span span, String system, String operation, SqlSanitizer.Result sql, long startNanos) {
            this.span = span;
            this.system = system;
            this.operation = operation;
            this.sql = sql;
            this.startNanos = startNanos;
        }
    }

    /** The database behind the DataSource: OTel system name and server address from the JDBC URL. */
    static final class DbInfo {
        final String system;
        final @Nullable String address;
        final int port;

        DbInfo(String system, @Nullable String address, int port) {
            this.system = system;
            this.address = address;
            this.port = port;
        }

        static DbInfo of(DatabaseMetaData meta, @Nullable String configuredSystem) throws SQLException {
            String system = configuredSystem != null ? configuredSystem : systemOf(meta.getDatabaseProductName());
            String url = meta.getURL();
            return url == null ? new DbInfo(system, null, -1) : ofUrl(system, url);
        }

        /** {@code jdbc:<sub>://host[:port]/...}; embedded URLs ({@code jdbc:h2:mem:x}) have no server. */
        static DbInfo ofUrl(String system, String url) {
            int slashes = url.indexOf("//");
            if (!url.startsWith("jdbc:") || slashes < 0) {
                return new DbInfo(system, null, -1);
            }
            int start = slashes + 2;
            int stop = start;
            while (stop < url.length() && "/?;,".indexOf(url.charAt(stop)) < 0) {
                stop++;
            }
            String hostPort = url.substring(start, stop);
            int at = hostPort.lastIndexOf('@');
            if (at >= 0) {
                hostPort = hostPort.substring(at + 1);
            }
            String host = hostPort;
            int port = -1;
            int colon = hostPort.lastIndexOf(':');
            if (colon > hostPort.lastIndexOf(']')) {
                host = hostPort.substring(0, colon);
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 0) {
                port = defaultPort(system);
            }
            return new DbInfo(system, host.isEmpty() ? null : host, port);
        }

        private static int defaultPort(String system) {
            switch (system) {
                case "postgresql":
                    return 5432;
                case "mysql":
                case "mariadb":
                    return 3306;
                case "h2":
                    return 9092;
                default:
                    return -1;
            }
        }

        /** OTel {@code db.system.name} of a {@code DatabaseMetaData} product name. */
        static String systemOf(@Nullable String product) {
            String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
            if (p.contains("postgres")) {
                return "postgresql";
            } else if (p.equals("h2")) {
                return "h2";
            } else if (p.contains("mariadb")) {
                return "mariadb";
            } else if (p.contains("mysql")) {
                return "mysql";
            } else if (p.contains("oracle")) {
                return "oracle.db";
            } else if (p.contains("microsoft sql server")) {
                return "microsoft.sql_server";
            } else if (p.contains("db2")) {
                return "ibm.db2";
            } else if (p.contains("sqlite")) {
                return "sqlite";
            } else if (p.contains("hsql")) {
                return "hsqldb";
            } else if (p.contains("derby")) {
                return "derby";
            }
            return "other_sql";
        }
    }
}
