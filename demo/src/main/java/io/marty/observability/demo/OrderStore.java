package io.marty.observability.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.jdbc.MartyDataSource;
import io.marty.observability.redis.MartyRedisCommandListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order service's orders: a table in a database reached through HikariCP and {@link
 * MartyDataSource} (H2 in memory unless {@code ORDERS_JDBC_URL} names another, e.g. PostgreSQL), read
 * cache-aside through Redis with {@link MartyRedisCommandListener} when {@code ORDERS_REDIS_URL} is set.
 * Every statement and cache command is a span under the request that caused it.
 */
final class OrderStore implements AutoCloseable {
    /** Builds the caller's order type from a row. */
    interface Row<T> {
        T make(long id, long amountCents, String status, String paymentId);
    }

    private static final Logger log = LoggerFactory.getLogger("demo.orders");
    // keeps the in-memory demo database bounded: rows this far behind the newest id are deleted
    private static final long KEEP_ORDERS = 10_000;
    private static final long CACHE_SECONDS = 300;

    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final @Nullable RedisClient redisClient;
    private final @Nullable StatefulRedisConnection<String, String> redis;

    private OrderStore(
            HikariDataSource pool,
            DataSource dataSource,
            @Nullable RedisClient redisClient,
            @Nullable StatefulRedisConnection<String, String> redis) {
        this.pool = pool;
        this.dataSource = dataSource;
        this.redisClient = redisClient;
        this.redis = redis;
    }

    /** Opens the store from {@code ORDERS_JDBC_URL} and {@code ORDERS_REDIS_URL} (system property or environment). */
    static OrderStore open(MartyObservability observability) {
        String jdbcUrl = DemoSupport.setting(
                "ORDERS_JDBC_URL", "jdbc:h2:mem:orders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        String redisUrl = DemoSupport.setting("ORDERS_REDIS_URL", "");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("orders");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "ORDERS_JDBC_URL: cannot connect to " + redactPassword(jdbcUrl) + ": " + e.getMessage(), e);
        }
        DataSource dataSource = MartyDataSource.builder(pool, observability)
                .slowQueryThreshold(Duration.ofMillis(200))
                .build();
        RedisClient client = null;
        StatefulRedisConnection<String, String> connection = null;
        try {
            createTable(dataSource);
            if (!redisUrl.isEmpty()) {
                RedisURI uri = RedisURI.create(redisUrl);
                uri.setTimeout(Duration.ofSeconds(2));
                client = RedisClient.create(uri);
                client.addListener(MartyRedisCommandListener.builder(observability)
                        .cache("orders")
                        .server(uri)
                        .build());
                connection = client.connect();
            }
        } catch (SQLException | RuntimeException e) {
            if (client != null) {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
            pool.close();
            String key = e instanceof SQLException ? "ORDERS_JDBC_URL" : "ORDERS_REDIS_URL";
            throw new IllegalArgumentException(key + ": cannot use it: " + e.getMessage(), e);
        }
        log.info(
                "orders stored in {}{}",
                pool.getJdbcUrl().startsWith("jdbc:h2:mem:") ? "H2 (in memory)" : redactPassword(jdbcUrl),
                redisUrl.isEmpty() ? "" : ", cached in Redis");
        return new OrderStore(pool, dataSource, client, connection);
    }

    private static String redactPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static void createTable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id BIGINT PRIMARY KEY, amount_cents BIGINT NOT NULL,"
                    + " status VARCHAR(32) NOT NULL, payment_id VARCHAR(64) NOT NULL)");
        }
    }

    /** Inserts or replaces the order in one transaction, and drops its cache entry. */
    void save(long id, long amountCents, String status, String paymentId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement update =
                    c.prepareStatement("UPDATE orders SET amount_cents = ?, status = ?, payment_id = ? WHERE id = ?")) {
                update.setLong(1, amountCents);
                update.setString(2, status);
                update.setString(3, paymentId);
                update.setLong(4, id);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO orders (id, amount_cents, status, payment_id) VALUES (?, ?, ?, ?)")) {
                        insert.setLong(1, id);
                        insert.setLong(2, amountCents);
                        insert.setString(3, status);
                        insert.setString(4, paymentId);
                        insert.executeUpdate();
                    }
                }
            }
            if (id % 1000 == 0) {
                try (PreparedStatement prune = c.prepareStatement("DELETE FROM orders WHERE id < ?")) {
                    prune.setLong(1, id - KEEP_ORDERS);
                    prune.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store order " + id, e);
        }
        cache(commands -> commands.del(key(id)));
    }

    /** The order, from the cache when it is there, else from the database (then cached); null when unknown. */
    <T> @Nullable T find(long id, Row<T> row) {
        String cached = cache(commands -> commands.get(key(id)));
        if (cached != null) {
            String[] f = cached.split("\\|", 3);
            if (f.length == 3) {
                return row.make(id, Long.parseLong(f[0]), f[1], f[2]);
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT amount_cents, status, payment_id FROM orders WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long amount = rs.getLong(1);
                String status = rs.getString(2);
                String paymentId = rs.getString(3);
                cache(commands -> commands.setex(key(id), CACHE_SECONDS, amount + "|" + status + "|" + paymentId));
                return row.make(id, amount, status, paymentId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read order " + id, e);
        }
    }

    private static String key(long id) {
        return "order:" + id;
    }

    /** Runs a cache command; without Redis, or when it fails, the database answers alone. */
    private <R> @Nullable R cache(java.util.function.Function<RedisCommands<String, String>, R> command) {
        if (redis == null) {
            return null;
        }
        try {
            return command.apply(redis.sync());
        } catch (RedisException e) {
            log.warn("order cache unavailable: {}", e.getClass().getSimpleName());
            return null;
        }
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        if (redisClient != null) {
            redisClient.shutdown(0, 2, TimeUnit.SECONDS);
        }
        pool.close();
    }
}
