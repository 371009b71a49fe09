package io.marty.observability.loganalysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLineParserTest {
    private final LogLineParser parser = LogLineParser.create("fallback-svc");

    @Test
    void parsesTheMmfJsonSchema() {
        String line =
                "{\"timestamp\":\"2023-12-01T12:34:56.789Z\",\"level\":\"INFO\",\"service_name\":\"user-service\","
                        + "\"message\":\"User authenticated successfully\",\"category\":\"security\",\"context\":{\"user_id\":"
                        + "\"user123\",\"correlation_id\":\"abc-123\",\"trace_id\":\"def456\"},\"fields\":{\"authentication_method\":"
                        + "\"oauth2\",\"source_ip\":\"192.168.1.100\",\"duration_ms\":12.5}}";
        LogEvent e = parser.parse(line).event();
        assertThat(e.timestampMillis())
                .isEqualTo(Instant.parse("2023-12-01T12:34:56.789Z").toEpochMilli());
        assertThat(e.level()).isEqualTo(LogLevel.INFO);
        assertThat(e.service()).isEqualTo("user-service");
        assertThat(e.category()).isEqualTo("security");
        assertThat(e.context()).containsEntry("correlation_id", "abc-123").containsEntry("trace_id", "def456");
        assertThat(e.text("fields.source_ip")).isEqualTo("192.168.1.100");
        assertThat(e.number("fields.duration_ms")).isEqualTo(12.5);
        assertThat(e.text("context.user_id")).isEqualTo("user123");
        assertThat(e.structured()).isTrue();
    }

    @Test
    void acceptsOlderAndOtherSpellings() {
        LogEvent e = parser.parse("{\"@timestamp\":1700000000,\"severity\":\"warning\",\"msg\":\"slow\","
                        + "\"correlation_id\":\"c1\",\"performance\":{\"operation\":\"db\",\"duration_ms\":\"5200\"},"
                        + "\"http_status\":503}")
                .event();
        assertThat(e.timestampMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(e.level()).isEqualTo(LogLevel.WARN);
        assertThat(e.service()).isEqualTo("fallback-svc");
        assertThat(e.message()).isEqualTo("slow");
        assertThat(e.context()).containsEntry("correlation_id", "c1");
        assertThat(e.number("fields.duration_ms")).isEqualTo(5200);
        assertThat(e.number("fields.http_status")).isEqualTo(503);
    }

    @Test
    void nestedValuesPrecedenceAndExceptionType() {
        LogEvent e = parser.parse("{\"user_id\":\"top\",\"context\":{\"user_id\":\"ctx\",\"extra\":{\"a\":1}},"
                        + "\"fields\":{\"nested\":{\"x\":1},\"list\":[1,2],\"gone\":null,\"ok\":true},"
                        + "\"exception\":{\"type\":\"java.io.IOException\",\"stack\":[\"a\",\"b\"]},"
                        + "\"unknown_obj\":{\"deep\":[{}]},\"level\":\"error\",\"severity\":\"info\"}")
                .event();
        assertThat(e.context()).containsEntry("user_id", "ctx").containsEntry("extra", "{\"a\":1}");
        assertThat(e.fields().get("nested")).isEqualTo(java.util.Map.of("x", 1));
        assertThat(e.fields().get("list")).isEqualTo(java.util.List.of(1, 2));
        assertThat(e.fields())
                .doesNotContainKey("gone")
                .doesNotContainKey("unknown_obj")
                .containsEntry("ok", true);
        assertThat(e.text("fields.exception_type")).isEqualTo("java.io.IOException");
        assertThat(e.level()).isEqualTo(LogLevel.ERROR); // "level" wins over "severity"
    }

    @Test
    void fastTimestampPathAgreesWithTheJdk() {
        String[] samples = {
            "2023-12-01T12:34:56.789Z", "2023-12-01T12:34:56Z", "2024-02-29T23:59:59.5Z",
            "1999-12-31T23:59:59.123456789Z", "2023-12-01T12:34:56.789+02:00", "2023-12-01T00:00:00-05:30",
            "1970-01-01T00:00:00Z"
        };
        for (String ts : samples) {
            assertThat(LogLineParser.fastIso(ts))
                    .as(ts)
                    .isEqualTo(java.time.OffsetDateTime.parse(ts).toInstant().toEpochMilli());
        }
        for (String bad : new String[] {
            "2023-02-30T10:00:00Z",
            "2023-13-01T10:00:00Z",
            "2023-12-01T25:00:00Z",
            "2023-12-01 12:34:56Z",
            "2023-12-01T12:34:56",
            "2023-12-01T12:34:56.1x2Z"
        }) {
            assertThat(LogLineParser.fastIso(bad)).as(bad).isEqualTo(LogEvent.NO_TIMESTAMP);
        }
        // What the fast path refuses still goes through the general path.
        assertThat(LogLineParser.timestamp("2023-12-01 12:34:56"))
                .isEqualTo(java.time.Instant.parse("2023-12-01T12:34:56Z").toEpochMilli());
        assertThat(LogLineParser.timestamp("2023-02-30T10:00:00Z")).isEqualTo(LogEvent.NO_TIMESTAMP);
    }

    @Test
    void badTimestampsAndLevelsDegradeInsteadOfFailing() {
        LogEvent e = parser.parse("{\"timestamp\":\"yesterday\",\"level\":42,\"message\":null}")
                .event();
        assertThat(e.hasTimestamp()).isFalse();
        assertThat(e.level()).isEqualTo(LogLevel.UNKNOWN);
        assertThat(e.message()).isEmpty();
    }

    @Test
    void rejectsMalformedLinesWithAReason() {
        assertThat(parser.parse("{\"level\":\"ERROR\",\"message\":\"cut off").rejectReason())
                .isEqualTo(LogLineParser.REASON_INVALID_JSON);
        assertThat(parser.parse("{level: ERROR}").rejectReason()).isEqualTo(LogLineParser.REASON_INVALID_JSON);
        assertThat(parser.parse("[1,2,3]").rejectReason()).isEqualTo(LogLineParser.REASON_NOT_OBJECT);
        assertThat(parser.parse("   ").rejectReason()).isEqualTo(LogLineParser.REASON_BLANK);
        assertThat(parser.parse("{}").ok()).isTrue();
        LogLineParser small = LogLineParser.create("x", 64);
        assertThat(small.parse("{\"message\":\"" + "a".repeat(100) + "\"}").rejectReason())
                .isEqualTo(LogLineParser.REASON_TOO_LONG);
    }

    @Test
    void plainLinesGetASniffedLevel() {
        assertThat(parser.parse("2015-10-18 18:01:47,978 ERROR [main] Failed to connect")
                        .event()
                        .level())
                .isEqualTo(LogLevel.ERROR);
        assertThat(parser.parse("[WARN] disk at 91%").event().level()).isEqualTo(LogLevel.WARN);
        assertThat(parser.parse("Fatal: out of memory").event().level()).isEqualTo(LogLevel.CRITICAL);
        assertThat(parser.parse("081109 203615 148 INFO dfs.DataNode$PacketResponder: done")
                        .event()
                        .level())
                .isEqualTo(LogLevel.INFO);
        LogEvent plain = parser.parse("user errored out while retrying").event();
        assertThat(plain.level()).isEqualTo(LogLevel.UNKNOWN);
        assertThat(plain.structured()).isFalse();
        assertThat(plain.service()).isEqualTo("fallback-svc");
    }

    @Test
    void analyzerCountsAndSkipsMalformedLinesAndKeepsGoing() {
        LogAnalyzer analyzer = LogAnalyzer.builder().maxLineLength(200).build();
        String[] lines = {
            "{\"level\":\"ERROR\",\"message\":\"ok 1\"}",
            "{\"level\":\"ERROR\",",
            "\u0000\u0001\u0002binary{",
            "[\"array\"]",
            "",
            "{\"message\":\"" + "x".repeat(300) + "\"}",
            "null",
            "{\"level\":\"INFO\",\"message\":\"ok 2\"}",
            "plain text line 3",
        };
        for (String l : lines) {
            analyzer.acceptLine(l);
        }
        AnalysisSummary s = analyzer.summary();
        assertThat(s.lines()).isEqualTo(9);
        assertThat(s.events()).isEqualTo(5); // two JSON, binary + "null" + plain as plain text
        assertThat(s.malformed())
                .containsEntry(LogLineParser.REASON_INVALID_JSON, 1L)
                .containsEntry(LogLineParser.REASON_NOT_OBJECT, 1L)
                .containsEntry(LogLineParser.REASON_TOO_LONG, 1L);
        assertThat(s.malformedTotal()).isEqualTo(3);
    }
}
