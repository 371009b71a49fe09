package io.marty.observability.jdbc.internal;

import io.marty.observability.jdbc.SqlSanitizer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Dynamic proxies for {@link Connection} and the three statement interfaces: a proxy forwards every
 * call to the driver's object and wraps only the calls that run SQL (and commit/rollback) in a span.
 * Proxies rather than hand-written wrappers: the JDBC interfaces have some 400 methods between them,
 * and a method added by a later JDBC version is forwarded without a change here.
 */
public final class JdbcProxies {
    private static final ClassLoader LOADER = JdbcProxies.class.getClassLoader();
    private static final SqlSanitizer.Result COMMIT = new SqlSanitizer.Result("COMMIT", "COMMIT", null);
    private static final SqlSanitizer.Result ROLLBACK = new SqlSanitizer.Result("ROLLBACK", "ROLLBACK", null);
    // a statement batch remembers this many sanitised statements for its span
    private static final int MAX_BATCH_TEXTS = 32;

    private JdbcProxies() {}

    /** {@code connection} with every statement it makes traced. */
    public static Connection connection(Connection connection, JdbcTelemetry telemetry) {
        return (Connection) Proxy.newProxyInstance(
                LOADER, new Class<?>[] {Connection.class}, new ConnectionHandler(connection, telemetry));
    }

    static @Nullable Object forward(Object target, Method method, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The calls every proxy answers itself: identity and {@code unwrap}. */
    static @Nullable Object common(Object proxy, Object target, Method method, Object @Nullable [] args)
            throws Throwable {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "unwrap":
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : forward(target, method, args);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy) || (Boolean) forward(target, method, args);
            default:
                return forward(target, method, args);
        }
    }

    static Object traced(
            JdbcTelemetry telemetry,
            SqlSanitizer.Result sql,
            String operation,
            int batchSize,
            Object target,
            Method method,
            Object @Nullable [] args)
            throws Throwable {
        JdbcTelemetry.Operation op = telemetry.start(sql, operation, batchSize);
        try {
            Object result = forward(target, method, args);
            telemetry.end(op, null);
            return result;
        } catch (Throwable t) {
            telemetry.end(op, t);
            throw t;
        }
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private final Connection delegate;
        private final JdbcTelemetry telemetry;

        ConnectionHandler(Connection delegate, JdbcTelemetry telemetry) {
            this.delegate = delegate;
            this.telemetry = telemetry;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            switch (method.getName()) {
                case "createStatement":
                    return statement(Statement.class, forward(delegate, method, args), null, proxy);
                case "prepareStatement":
                    return statement(PreparedStatement.class, forward(delegate, method, args), (String) args[0], proxy);
                case "prepareCall":
                    return statement(CallableStatement.class, forward(delegate, method, args), (String) args[0], proxy);
                case "commit":
                    return traced(telemetry, COMMIT, "COMMIT", 0, delegate, method, args);
                case "rollback":
                    return traced(telemetry, ROLLBACK, "ROLLBACK", 0, delegate, method, args);
                default:
                    return common(proxy, delegate, method, args);
            }
        }

        private Object statement(Class<?> type, @Nullable Object statement, @Nullable String sql, Object connection) {
            if (statement == null) {
                return null;
            }
            SqlSanitizer.Result prepared = sql == null ? null : telemetry.sanitize(sql);
            return Proxy.newProxyInstance(
                    LOADER, new Class<?>[] {type}, new StatementHandler(statement, telemetry, prepared, (Connection)
                            connection));
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final Object delegate;
        private final JdbcTelemetry telemetry;
        private final SqlSanitizer.@Nullable Result prepared;
        private final Connection connection;
        // JDBC statements are not shared between threads; the batch state needs no lock
        private int batchSize;
        private @Nullable List<SqlSanitizer.Result> batchTexts;

        StatementHandler(
                Object delegate,
                JdbcTelemetry telemetry,
                SqlSanitizer.@Nullable Result prepared,
                Connection connection) {
            this.delegate = delegate;
            this.telemetry = telemetry;
            this.prepared = prepared;
            this.connection = connection;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            switch (method.getName()) {
                case "execute":
                case "executeQuery":
                case "executeUpdate":
                case "executeLargeUpdate": {
                    SqlSanitizer.Result sql = args != null && args.length > 0 && args[0] instanceof String s
                            ? telemetry.sanitize(s)
                            : prepared;
                    if (sql == null) {
                        return forward(delegate, method, args);
                    }
                    return traced(telemetry, sql, sql.operation(), 0, delegate, method, args);
                }
                case "executeBatch":
                case "executeLargeBatch":
                    return executeBatch(method, args);
                case "addBatch":
                    addBatch(args);
                    return forward(delegate, method, args);
                case "clearBatch":
                    batchSize = 0;
                    batchTexts = null;
                    return forward(delegate, method, args);
                case "getConnection":
                    return connection;
                default:
                    return common(proxy, delegate, method, args);
            }
        }

        private void addBatch(Object @Nullable [] args) {
            batchSize++;
            if (args != null && args.length == 1 && args[0] instanceof String s) {
                if (batchTexts == null) {
                    batchTexts = new ArrayList<>();
                }
                if (batchTexts.size() < MAX_BATCH_TEXTS) {
                    batchTexts.add(telemetry.sanitize(s));
                }
            }
        }

        private @Nullable Object executeBatch(Method method, Object @Nullable [] args) throws Throwable {
            int size = batchSize;
            SqlSanitizer.Result sql = batchText();
            batchSize = 0;
            batchTexts = null;
            String operation =
                    sql.operation().equals(SqlSanitizer.OTHER_OPERATION) ? "BATCH" : "BATCH " + sql.operation();
            return traced(telemetry, sql, operation, size, delegate, method, args);
        }

        /** The prepared statement, or the statements added: one text when all are the same. */
        private SqlSanitizer.Result batchText() {
            if (prepared != null) {
                return prepared;
            }
            List<SqlSanitizer.Result> texts = batchTexts;
            if (texts == null || texts.isEmpty()) {
                return new SqlSanitizer.Result("", SqlSanitizer.OTHER_OPERATION, null);
            }
            SqlSanitizer.Result first = texts.get(0);
            boolean sameText = true;
            boolean sameOperation = true;
            boolean sameCollection = true;
            for (SqlSanitizer.Result r : texts) {
                sameText &= r.text().equals(first.text());
                sameOperation &= r.operation().equals(first.operation());
                sameCollection &=
                        first.collection() != null && first.collection().equals(r.collection());
            }
            if (sameText) {
                return first;
            }
            StringBuilder joined = new StringBuilder();
            for (SqlSanitizer.Result r : texts) {
                if (joined.length() + r.text().length() > SqlSanitizer.MAX_INPUT_CHARS) {
                    joined.append("; ...");
                    break;
                }
                joined.append(joined.length() == 0 ? "" : "; ").append(r.text());
            }
            return new SqlSanitizer.Result(
                    joined.toString(),
                    sameOperation ? first.operation() : SqlSanitizer.OTHER_OPERATION,
                    sameCollection ? first.collection() : null);
        }
    }
}
