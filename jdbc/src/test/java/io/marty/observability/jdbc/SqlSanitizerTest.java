package io.marty.observability.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.jdbc.SqlSanitizer.Dialect;
import io.marty.observability.jdbc.SqlSanitizer.Result;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SqlSanitizerTest {

    private static String std(String sql) {
        return SqlSanitizer.sanitize(sql, Dialect.STANDARD).text();
    }

    @Test
    void stringLiteralsWithDoubledQuotesAndPrefixes() {
        assertThat(std("SELECT * FROM users WHERE name = 'O''Brien secret' AND x = 1"))
                .isEqualTo("SELECT * FROM users WHERE name = ? AND x = ?");
        assertThat(std("select N'sécret', X'DEADBEEF', B'0101', E'it\\'s secret', U&'d\\0061t secret'"))
                .isEqualTo("select ?, ?, ?, ?, ?");
        assertThat(std("SELECT _utf8mb4'secret' , q'[it's secret]' FROM t")).isEqualTo("SELECT ? , ? FROM t");
    }

    @Test
    void backslashIsOrdinaryInStandardStringsButEscapesInMysqlAndEStrings() {
        // PostgreSQL: 'C:\' is a complete literal, 'secret' the next one
        assertThat(std("INSERT INTO f VALUES ('C:\\', 'secret')")).isEqualTo("INSERT INTO f VALUES (?, ?)");
        // MySQL: \' does not close the string
        assertThat(SqlSanitizer.sanitize("SELECT 'it\\'s secret', \"more secret\" FROM t", Dialect.MYSQL)
                        .text())
                .isEqualTo("SELECT ?, ? FROM t");
        assertThat(std("SELECT E'a\\'b secret', 'x'")).isEqualTo("SELECT ?, ?");
    }

    @Test
    void unknownDialectDropsTheRestAtAnAmbiguousBackslash() {
        Result r = SqlSanitizer.sanitize("SELECT 'C:\\' , 'secret' FROM t", Dialect.UNKNOWN);
        assertThat(r.text()).isEqualTo("SELECT ?");
        assertThat(r.operation()).isEqualTo("SELECT");
    }

    @Test
    void numbersHexBitAndExponents() {
        assertThat(std("SELECT 42, -3.5, .5, 1e10, 2.5E-3, 0x1F, 0b101, 1_000_000, 10L FROM t WHERE a > 7"))
                .isEqualTo("SELECT ?, -?, ?, ?, ?, ?, ?, ?, ? FROM t WHERE a > ?");
        assertThat(std("SELECT col1, t2.c3 FROM table9")).isEqualTo("SELECT col1, t2.c3 FROM table9");
    }

    @Test
    void inListsCollapse() {
        assertThat(std("SELECT * FROM t WHERE id IN (1, 2, 3) AND s in('a','b') AND f(1, 2) = 3"))
                .isEqualTo("SELECT * FROM t WHERE id IN (?) AND s in(?) AND f(?, ?) = ?");
        assertThat(std("SELECT * FROM t WHERE id IN (?, ?, ?)")).isEqualTo("SELECT * FROM t WHERE id IN (?)");
        assertThat(std("SELECT * FROM t WHERE min(1, 2) > 0")).isEqualTo("SELECT * FROM t WHERE min(?, ?) > ?");
    }

    @Test
    void commentsAreStrippedAndNest() {
        assertThat(std("SELECT /* user secret */ a -- password secret\nFROM t /* a /* nested secret */ b */ WHERE x=1"))
                .isEqualTo("SELECT a FROM t WHERE x=?");
        assertThat(std("SELECT a FROM t /* never closed secret")).isEqualTo("SELECT a FROM t");
        assertThat(SqlSanitizer.sanitize("SELECT a # secret\nFROM t", Dialect.MYSQL)
                        .text())
                .isEqualTo("SELECT a FROM t");
    }

    @Test
    void dollarQuotedStringsAndPlaceholders() {
        assertThat(std("SELECT $$it's a secret$$, $body$ secret $$ inner $$ $body$ WHERE a = $1 AND b = :name"))
                .isEqualTo("SELECT ?, ? WHERE a = $1 AND b = :name");
        assertThat(std("DO $fn$ BEGIN RAISE 'secret'; END $fn")).isEqualTo("DO ?");
    }

    @Test
    void multiStatementsAreAllSanitisedAndHaveNoCollection() {
        Result r =
                SqlSanitizer.sanitize("INSERT INTO a VALUES (1); DELETE FROM b WHERE s = 'secret';", Dialect.STANDARD);
        assertThat(r.text()).isEqualTo("INSERT INTO a VALUES (?); DELETE FROM b WHERE s = ?;");
        assertThat(r.operation()).isEqualTo("INSERT");
        assertThat(r.collection()).isNull();
    }

    @Test
    void unterminatedLiteralsSwallowTheRest() {
        assertThat(std("SELECT 'secret FROM t WHERE a = 1")).isEqualTo("SELECT ?");
        assertThat(std("SELECT \"col FROM t")).isEqualTo("SELECT ?");
        assertThat(std("SELECT $x$ secret")).isEqualTo("SELECT ?");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SELECT a FROM orders WHERE id = 1|SELECT|orders",
                "select a from public.orders o where o.id = 1|SELECT|public.orders",
                "SELECT * FROM \"Order Items\"|SELECT|Order Items",
                "SELECT * FROM a JOIN b ON a.id = b.id|SELECT|",
                "SELECT * FROM a, b|SELECT|",
                "SELECT * FROM (SELECT * FROM a) x|SELECT|",
                "INSERT INTO orders (id, total) VALUES (1, 2)|INSERT|orders",
                "UPDATE ONLY orders SET total = 3|UPDATE|orders",
                "DELETE FROM orders WHERE id = 1|DELETE|orders",
                "CREATE TABLE IF NOT EXISTS orders (id INT)|CREATE|orders",
                "DROP TABLE IF EXISTS orders|DROP|orders",
                "TRUNCATE orders|TRUNCATE|orders",
                "WITH x AS (SELECT 1) INSERT INTO orders SELECT * FROM x|INSERT|orders",
                "{call refresh(?)}|CALL|",
                "VACUUM|VACUUM|",
                "frobnicate the thing|OTHER|",
                "MERGE INTO orders USING s ON (1=1) WHEN MATCHED THEN DELETE|MERGE|orders",
            })
    void operationAndCollection(String sql, String operation, String collection) {
        Result r = SqlSanitizer.sanitize(sql, Dialect.STANDARD);
        assertThat(r.operation()).isEqualTo(operation);
        assertThat(r.collection()).isEqualTo(collection);
    }

    @Test
    void inputIsBoundedAndMarkedCut() {
        String sql = "SELECT a FROM t WHERE b IN (" + "x, ".repeat(5000) + "y)";
        Result r = SqlSanitizer.sanitize(sql, Dialect.STANDARD);
        assertThat(r.text()).endsWith(" ...").hasSizeLessThanOrEqualTo(SqlSanitizer.MAX_INPUT_CHARS + 4);
        assertThat(SqlSanitizer.sanitize(null).text()).isEmpty();
    }

    /**
     * Statements built from random pieces, every literal holding a secret marker, in every dialect: no
     * marker ever survives. The pieces include the awkward ones (doubling, backslashes, dollar tags,
     * comments, prefixes).
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void noLiteralSurvivesRandomStatements(Dialect dialect) {
        List<String> literals = List.of(
                "'S3CR3T'",
                "'O''S3CR3T'",
                "'S3CR3T '' again'",
                "E'S3CR3T\\' x'",
                "N'S3CR3T'",
                "X'5EC2E7'",
                "$$S3CR3T$$",
                "$q$ S3CR3T 'x' $q$",
                "987654321",
                "98765.4321",
                "9.8765e43",
                "0x5EC2E7",
                "_utf8'S3CR3T'",
                "q'{S3CR3T}'",
                "'S3CR3T\n multi-line'",
                "U&'S3CR3T'");
        List<String> glue = List.of(
                "SELECT a FROM t WHERE b = ",
                " AND c IN (",
                ", ",
                ") ",
                " /* S3CR3T comment */ ",
                " -- S3CR3T comment\n",
                "; UPDATE t SET x = ",
                " OR f(",
                " || ",
                "\"col\" = ");
        if (dialect == Dialect.MYSQL) {
            literals = new java.util.ArrayList<>(literals);
            literals.add("'S3CR3T\\' still S3CR3T'");
            literals.add("\"S3CR3T\"");
        }
        Random random = new Random(19);
        for (int run = 0; run < 5000; run++) {
            StringBuilder sql = new StringBuilder();
            int parts = 1 + random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                sql.append(glue.get(random.nextInt(glue.size())));
                sql.append(literals.get(random.nextInt(literals.size())));
            }
            Result r = SqlSanitizer.sanitize(sql.toString(), dialect);
            assertThat(r.text())
                    .as("%s", sql)
                    .doesNotContain("S3CR3T")
                    .doesNotContain("5EC2E7")
                    .doesNotContain("98765")
                    .doesNotContain("8765")
                    .doesNotContain("multi-line");
        }
    }

    @Test
    void aFailingLexerGivesTheRedactedStatementAndIsCounted() {
        long before = InstrumentationErrors.current().count(SqlSanitizer.COMPONENT);
        Result r = SqlSanitizer.failOpen(() -> {
            throw new IllegalStateException("lexer bug with 'S3CR3T' in the message");
        });
        assertThat(r).isSameAs(SqlSanitizer.REDACTED);
        assertThat(r.text()).isEqualTo("?");
        assertThat(InstrumentationErrors.current().count(SqlSanitizer.COMPONENT))
                .isEqualTo(before + 1);
        assertThat(SqlSanitizer.failOpen(() -> {
                    throw new StackOverflowError();
                }))
                .isSameAs(SqlSanitizer.REDACTED);
    }

    @Test
    void randomBytesNeverThrow() {
        long errorsBefore = InstrumentationErrors.current().count(SqlSanitizer.COMPONENT);
        Random random = new Random(7);
        String alphabet = "'\"`$\\/*-#;()?,.:eExXbBqQuU&_0123456789 \n\tabc\u00e9\u4e2d\ud83d\ude00";
        for (int run = 0; run < 20_000; run++) {
            int len = random.nextInt(60);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (Dialect d : Dialect.values()) {
                Result r = SqlSanitizer.sanitize(sb.toString(), d);
                assertThat(r.text().length()).isLessThanOrEqualTo(sb.length() + 4);
                assertThat(r.operation()).isNotNull();
            }
        }
        // sanitize catches its own failures: none happened, so none was hidden by the fail-open path
        assertThat(InstrumentationErrors.current().count(SqlSanitizer.COMPONENT))
                .isEqualTo(errorsBefore);
    }
}
