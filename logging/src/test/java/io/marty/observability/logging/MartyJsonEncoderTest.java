package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

class MartyJsonEncoderTest {
    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void writesTheSchemaWithContextFieldsAndCategory() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            Logger log = logs.logger("com.acme.Orders");
            MDC.put("correlation_id", "c-1");
            MDC.put("request_id", "r-1");
            MDC.put("trace_id", "0af7651916cd43dd8448eb211c80319c");
            MDC.put("span_id", "b7ad6b7169203331");
            MDC.put("tenant", "acme");
            Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            log.atInfo()
                    .addMarker(LogCategory.BUSINESS.marker())
                    .addMarker(MarkerFactory.getMarker("billing"))
                    .setMessage("order {} placed")
                    .addArgument("o-1")
                    .addKeyValue("order_id", "o-1")
                    .addKeyValue("amount", 99.99)
                    .addKeyValue("items", 3)
                    .addKeyValue("paid", true)
                    .log();
            JsonNode n = logs.single();
            assertThat(fieldNames(n))
                    .containsExactly(
                            "timestamp",
                            "level",
                            "service_name",
                            "service_version",
                            "environment",
                            "logger",
                            "thread",
                            "message",
                            "category",
                            "context",
                            "fields");
            Instant ts = Instant.parse(n.get("timestamp").asText());
            assertThat(n.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(ts).isBetween(before, Instant.now());
            assertThat(n.get("level").asText()).isEqualTo("INFO");
            assertThat(n.get("service_name").asText()).isEqualTo("orders");
            assertThat(n.get("service_version").asText()).isEqualTo("1.2.3");
            assertThat(n.get("environment").asText()).isEqualTo("testing");
            assertThat(n.get("logger").asText()).isEqualTo("com.acme.Orders");
            assertThat(n.get("thread").asText())
                    .isEqualTo(Thread.currentThread().getName());
            assertThat(n.get("message").asText()).isEqualTo("order o-1 placed");
            assertThat(n.get("category").asText()).isEqualTo("business");
            JsonNode ctx = n.get("context");
            assertThat(fieldNames(ctx)).containsExactly("correlation_id", "request_id", "trace_id", "span_id");
            assertThat(ctx.get("trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            JsonNode f = n.get("fields");
            assertThat(f.get("order_id").asText()).isEqualTo("o-1");
            assertThat(f.get("amount").isDouble()).isTrue();
            assertThat(f.get("amount").asDouble()).isEqualTo(99.99);
            assertThat(f.get("items").isIntegralNumber()).isTrue();
            assertThat(f.get("paid").asBoolean()).isTrue();
            assertThat(f.get("tenant").asText()).isEqualTo("acme");
            assertThat(f.get("markers").get(0).asText()).isEqualTo("billing");
        }
    }

    @Test
    void absentContextIsOmittedNotUnknown() {
        try (TestLogs logs = new TestLogs()) {
            logs.logger("x").info("plain");
            logs.logger("x").error("failed");
            List<JsonNode> lines = logs.lines();
            assertThat(lines.get(0).has("context")).isFalse();
            assertThat(lines.get(0).has("fields")).isFalse();
            assertThat(lines.get(0).has("exception")).isFalse();
            assertThat(lines.get(0).get("category").asText()).isEqualTo("application");
            assertThat(lines.get(1).get("category").asText()).isEqualTo("error");
            assertThat(logs.text()).doesNotContain("unknown\"");
        }
    }

    @Test
    void categoryFromKeyValue() {
        try (TestLogs logs = new TestLogs()) {
            logs.logger("x").atWarn().addKeyValue("category", "security").log("denied");
            JsonNode n = logs.single();
            assertThat(n.get("category").asText()).isEqualTo("security");
            assertThat(n.has("fields")).isFalse();
        }
    }

    @Test
    void hostileStringsStayValidJsonAndRoundTrip() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        String hostile = "line1\nline2\r\n\t\"quoted\" \\ back \u0000 nul " + controls + " \u2028\u2029 é ü 中文";
        String nonBmp = "emoji \uD83D\uDE00 and \uD834\uDD1E clef";
        try (TestLogs logs = new TestLogs()) {
            Logger log = logs.logger("hostile\n\"logger\"");
            log.atInfo().setMessage(hostile).addKeyValue("k\"ey\n", hostile).log();
            log.info(nonBmp);
            log.info("lone high \uD800 x lone low \uDC00 y end high \uD83D");
            List<JsonNode> lines = logs.lines();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0).get("message").asText()).isEqualTo(hostile);
            assertThat(lines.get(0).get("logger").asText()).isEqualTo("hostile\n\"logger\"");
            assertThat(lines.get(0).get("fields").get("k\"ey\n").asText()).isEqualTo(hostile);
            assertThat(lines.get(1).get("message").asText()).isEqualTo(nonBmp);
            assertThat(lines.get(2).get("message").asText())
                    .isEqualTo("lone high \uFFFD x lone low \uFFFD y end high \uFFFD");
            // one event per physical line: raw newlines never appear inside a line
            assertThat(logs.text().split("\n")).hasSize(3);
        }
    }

    @Test
    void oneMegabyteMessageIsTruncatedWithMarker() {
        String huge = "x".repeat(1024 * 1024);
        try (TestLogs logs = new TestLogs(e -> e.setMaxMessageLength(1000))) {
            logs.logger("x").info(huge);
            logs.logger("x").info("small");
            List<JsonNode> lines = logs.lines();
            String msg = lines.get(0).get("message").asText();
            assertThat(msg)
                    .startsWith("x".repeat(1000))
                    .endsWith("...[truncated " + (huge.length() - 1000) + " chars]");
            assertThat(lines.get(1).get("message").asText()).isEqualTo("small");
        }
    }

    @Test
    void defaultLimitAlsoCutsOneMegabyteAndNeverSplitsSurrogatePairs() {
        String huge = "\uD83D\uDE00".repeat(512 * 1024);
        try (TestLogs logs = new TestLogs()) {
            logs.logger("x").info(huge);
            String msg = logs.single().get("message").asText();
            assertThat(msg).contains("...[truncated ");
            assertThat(msg.length()).isLessThan(MartyJsonEncoder.DEFAULT_MAX_MESSAGE_LENGTH + 40);
            assertThat(msg).doesNotContain("\uFFFD");
        }
    }

    @Test
    void exceptionWithCauseCycleAndSuppressed() {
        IllegalStateException a = new IllegalStateException("outer");
        IllegalArgumentException b = new IllegalArgumentException("inner");
        a.initCause(b);
        b.initCause(a); // a -> b -> a
        a.addSuppressed(new UnsupportedOperationException("closing failed"));
        try (TestLogs logs = new TestLogs()) {
            logs.logger("x").error("boom", a);
            JsonNode ex = logs.single().get("exception");
            assertThat(ex.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(ex.get("message").asText()).isEqualTo("outer");
            String stack = ex.get("stack").asText();
            assertThat(stack).startsWith("java.lang.IllegalStateException: outer\n\tat ");
            assertThat(stack).contains("Caused by: java.lang.IllegalArgumentException: inner");
            assertThat(stack).contains("\tSuppressed: java.lang.UnsupportedOperationException: closing failed");
            assertThat(stack).contains("CIRCULAR REFERENCE");
            assertThat(stack).contains(getClass().getName());
        }
    }

    @Test
    void selfSuppressionAndDeepCausesAreBounded() {
        RuntimeException root = new RuntimeException("r0");
        RuntimeException cur = root;
        for (int i = 1; i < 200; i++) {
            RuntimeException next = new RuntimeException("r" + i);
            cur.initCause(next);
            cur = next;
        }
        try (TestLogs logs = new TestLogs(e -> e.setMaxStackTraceLength(20_000))) {
            logs.logger("x").error("deep", root);
            String stack = logs.single().get("exception").get("stack").asText();
            assertThat(stack.length()).isLessThan(20_100);
            assertThat(stack).contains("Caused by: java.lang.RuntimeException: r1");
        }
    }

    @Test
    void nestedValuesBrokenToStringAndNonFiniteNumbers() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1, "two", 3.5));
        nested.put("map", Map.of("k", "v"));
        List<Object> selfRef = new ArrayList<>();
        selfRef.add(selfRef);
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("nope");
            }
        };
        try (TestLogs logs = new TestLogs()) {
            logs.logger("x")
                    .atInfo()
                    .addKeyValue("nested", nested)
                    .addKeyValue("broken", broken)
                    .addKeyValue("nan", Double.NaN)
                    .addKeyValue("arr", new String[] {"a", "b"})
                    .addKeyValue("nul", (Object) null)
                    .log("values");
            logs.logger("x").atInfo().addKeyValue("self", selfRef).log("cycle");
            List<JsonNode> lines = logs.lines();
            JsonNode f = lines.get(0).get("fields");
            assertThat(f.get("nested").get("list").get(1).asText()).isEqualTo("two");
            assertThat(f.get("nested").get("map").get("k").asText()).isEqualTo("v");
            assertThat(f.get("broken").asText()).contains("toString() failed");
            assertThat(f.get("nan").asText()).isEqualTo("NaN");
            assertThat(f.get("arr").get(1).asText()).isEqualTo("b");
            assertThat(f.get("nul").isNull()).isTrue();
            assertThat(lines.get(1).toString()).contains("[too deep]");
        }
    }

    @Test
    void ecsLayout() {
        MDC.put("trace_id", "0af7651916cd43dd8448eb211c80319c");
        MDC.put("correlation_id", "c-9");
        MDC.put("user_id", "u-1");
        try (TestLogs logs = new TestLogs(e -> e.setLayout("ecs"))) {
            logs.logger("com.acme.X")
                    .atError()
                    .addMarker(LogCategory.SECURITY.marker())
                    .addKeyValue("source_ip", "10.0.0.1")
                    .setCause(new IllegalStateException("bad"))
                    .log("denied");
            JsonNode n = logs.single();
            assertThat(n.get("@timestamp").asText()).endsWith("Z");
            assertThat(n.get("log.level").asText()).isEqualTo("ERROR");
            assertThat(n.get("message").asText()).isEqualTo("denied");
            assertThat(n.get("ecs.version").asText()).isEqualTo("1.2.0");
            assertThat(n.get("service.name").asText()).isEqualTo("orders");
            assertThat(n.get("log.logger").asText()).isEqualTo("com.acme.X");
            assertThat(n.get("trace.id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(n.get("labels.correlation_id").asText()).isEqualTo("c-9");
            assertThat(n.get("user.id").asText()).isEqualTo("u-1");
            assertThat(n.get("labels.category").asText()).isEqualTo("security");
            assertThat(n.get("source_ip").asText()).isEqualTo("10.0.0.1");
            assertThat(n.get("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(n.get("error.stack_trace").asText()).contains("\tat ");
        }
    }

    @Test
    void badConfigFailsNamingTheKey() {
        MartyJsonEncoder e = new MartyJsonEncoder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.setLayout("xml"))
                .hasMessageContaining("layout")
                .hasMessageContaining("xml");
        e.setMaxMessageLength(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(e::start)
                .hasMessageContaining("maxMessageLength")
                .hasMessageContaining("3");
        MartyJsonEncoder e2 = new MartyJsonEncoder();
        e2.setMaskingStrategy("scramble");
        org.assertj.core.api.Assertions.assertThatThrownBy(e2::start).hasMessageContaining("scramble");
    }

    @Test
    void anEventThatCannotBeEncodedBecomesAFallbackLineAndIsCountedAsALoggingFailure() throws Exception {
        io.marty.observability.core.failure.InstrumentationErrors errors =
                io.marty.observability.core.failure.InstrumentationErrors.current();
        long before = errors.count(io.marty.observability.core.failure.InstrumentationErrors.LOGGING);
        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(
                io.marty.observability.core.failure.InstrumentationErrors.LOGGER_NAME);
        jul.addHandler(handler);
        try (TestLogs logs = new TestLogs()) {
            ch.qos.logback.classic.spi.LoggingEvent ev =
                    new ch.qos.logback.classic.spi.LoggingEvent(
                            "fqcn", logs.context.getLogger("x"), ch.qos.logback.classic.Level.INFO, "hi", null, null) {
                        @Override
                        public List<org.slf4j.event.KeyValuePair> getKeyValuePairs() {
                            throw new IllegalStateException("broken event");
                        }
                    };
            JsonNode line = TestLogs.JSON.readTree(logs.encoder.encode(ev));
            assertThat(line.get("message").asText())
                    .isEqualTo("[log event could not be encoded: java.lang.IllegalStateException]");
            assertThat(logs.encoder.getEncodingErrors()).isEqualTo(1);
        } finally {
            jul.removeHandler(handler);
        }
        assertThat(errors.count(io.marty.observability.core.failure.InstrumentationErrors.LOGGING) - before)
                .isEqualTo(1);
        assertThat(logged)
                .singleElement()
                .satisfies(r -> assertThat(r.getMessage()).startsWith("logging: "));
    }

    @Test
    void streamingEncodeMatchesByteArrayEncode() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            logs.logger("x").atInfo().addKeyValue("a", 1).log("same");
            java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
            ch.qos.logback.classic.spi.LoggingEvent ev = new ch.qos.logback.classic.spi.LoggingEvent(
                    "fqcn", logs.context.getLogger("x"), ch.qos.logback.classic.Level.INFO, "same", null, null);
            ev.addKeyValuePair(new org.slf4j.event.KeyValuePair("a", 1));
            logs.encoder.encode(ev, bos);
            assertThat(bos.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(logs.encoder.encode(ev), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(TestLogs.JSON
                            .readTree(bos.toByteArray())
                            .get("fields")
                            .get("a")
                            .asInt())
                    .isEqualTo(1);
        }
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
