package io.marty.observability.benchmarks.hotpath;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.jdbc.MartyDataSource;
import io.marty.observability.jdbc.SqlSanitizer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Added cost of {@link MartyDataSource} per statement: the same primary-key query on H2 in memory
 * through the driver's connection ({@code *Raw}) and through the traced one ({@code *Traced}: proxy
 * dispatch, span with the DB attributes, two metric updates), as a prepared statement and as a plain
 * statement with a literal (sanitised text cached); and the sanitiser alone on an uncached statement.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar JdbcWrapperBenchmark}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdbcWrapperBenchmark {
    private static final String SELECT = "SELECT v FROM t WHERE id = ?";
    private static final String SELECT_LITERAL = "SELECT v FROM t WHERE id = 1";
    private static final String TO_SANITISE = "SELECT o.id, o.total FROM orders o WHERE o.customer = 'c-1042'"
            + " AND o.status IN ('PAID', 'SHIPPED') AND o.total > 19.99 /* dashboard */";

    private MartyObservability observability;
    private Connection raw;
    private Connection traced;
    private PreparedStatement rawPrepared;
    private PreparedStatement tracedPrepared;
    private Statement rawStatement;
    private Statement tracedStatement;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        observability = HotPathState.start(1.0);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
        DataSource tracedSource = MartyDataSource.wrap(h2, observability);
        raw = h2.getConnection();
        traced = tracedSource.getConnection();
        try (Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("MERGE INTO t KEY (id) VALUES (1, 'one')");
        }
        rawPrepared = raw.prepareStatement(SELECT);
        tracedPrepared = traced.prepareStatement(SELECT);
        rawStatement = raw.createStatement();
        tracedStatement = traced.createStatement();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        raw.close();
        traced.close();
        observability.close();
    }

    private static String query(PreparedStatement ps) throws SQLException {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String query(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery(SELECT_LITERAL)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Benchmark
    public String preparedRaw() throws SQLException {
        return query(rawPrepared);
    }

    @Benchmark
    public String preparedTraced() throws SQLException {
        return query(tracedPrepared);
    }

    @Benchmark
    public String statementRaw() throws SQLException {
        return query(rawStatement);
    }

    @Benchmark
    public String statementTraced() throws SQLException {
        return query(tracedStatement);
    }

    /** The lexer on a 150-character statement with strings, an IN list, a number and a comment. */
    @Benchmark
    public SqlSanitizer.Result sanitize() {
        return SqlSanitizer.sanitize(TO_SANITISE, SqlSanitizer.Dialect.STANDARD);
    }
}
