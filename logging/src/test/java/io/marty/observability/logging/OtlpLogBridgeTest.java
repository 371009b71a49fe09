package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shipped Logback snippet, end to end: JSON file via the async appender and OTLP records. */
class OtlpLogBridgeTest {
    @TempDir
    Path dir;

    @AfterEach
    void resetLogback() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
    }

    @Test
    void snippetWritesJsonFileAndMaskedOtlpRecordsTiedToTheTrace() throws Exception {
        Path file = dir.resolve("app.json");
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        ctx.putProperty("MARTY_LOG_FILE", file.toString());
        JoranConfigurator jc = new JoranConfigurator();
        jc.setContext(ctx);
        jc.doConfigure(getClass().getResource("/logback-otlp-test.xml"));
        ctx.start(); // an earlier stop() left the shared context stopped; stop() is a no-op then
        assertThat(new StatusUtil(ctx).getHighestLevel(0))
                .as("logback config status")
                .isLessThan(Status.ERROR);

        // keeps what it got: InMemoryLogRecordExporter forgets everything on shutdown
        List<LogRecordData> exported = java.util.Collections.synchronizedList(new ArrayList<>());
        LogRecordExporter records = new LogRecordExporter() {
            @Override
            public CompletableResultCode export(java.util.Collection<LogRecordData> logs) {
                exported.addAll(logs);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("checkout")
                .serviceVersion("2.0.0")
                .environment("testing")
                .exporter("none")
                .spanExporter(spans)
                .logRecordExporter(records)
                .registerGlobal(false)
                .build());
        String traceId;
        try {
            MartyLogging.install(obs);
            Logger log = LoggerFactory.getLogger("checkout.Orders");
            Span span = obs.openTelemetry()
                    .getTracer("test")
                    .spanBuilder("place-order")
                    .startSpan();
            traceId = span.getSpanContext().getTraceId();
            try (Scope ignored = span.makeCurrent()) {
                log.atInfo()
                        .addMarker(LogCategory.BUSINESS.marker())
                        .addKeyValue("order_id", "o-1")
                        .addKeyValue("password", "hunter2")
                        .log("order placed by jane@example.com");
            } finally {
                span.end();
            }
        } finally {
            obs.close(); // flushes the batch log processor
        }
        ctx.stop(); // graceful close: flushes the async queue into the file

        List<LogRecordData> otlp = new ArrayList<>(exported);
        LogRecordData rec = otlp.stream()
                .filter(r ->
                        r.getBodyValue() != null && r.getBodyValue().asString().startsWith("order placed"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no OTLP record in " + otlp));
        assertThat(rec.getBodyValue().asString()).isEqualTo("order placed by [REDACTED:email]");
        assertThat(rec.getSpanContext().getTraceId()).isEqualTo(traceId);
        assertThat(rec.getAttributes().get(AttributeKey.stringKey("order_id"))).isEqualTo("o-1");
        assertThat(rec.getAttributes().get(AttributeKey.stringKey("password"))).isEqualTo("[REDACTED]");
        assertThat(rec.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                .isEqualTo("checkout");
        assertThat(rec.toString()).doesNotContain("hunter2").doesNotContain("jane@example.com");

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        JsonNode json = lines.stream()
                .map(OtlpLogBridgeTest::parse)
                .filter(n -> n.get("message").asText().startsWith("order placed"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JSON line in " + lines));
        assertThat(json.get("service_name").asText()).isEqualTo("checkout");
        assertThat(json.get("service_version").asText()).isEqualTo("2.0.0");
        assertThat(json.get("environment").asText()).isEqualTo("testing");
        assertThat(json.get("category").asText()).isEqualTo("business");
        assertThat(json.get("context").get("trace_id").asText()).isEqualTo(traceId);
        assertThat(json.get("fields").get("password").asText()).isEqualTo("[REDACTED]");
        assertThat(String.join("\n", lines)).doesNotContain("hunter2").doesNotContain("jane@example.com");
    }

    @Test
    void snippetConsoleDefaultWritesJsonToStdoutAndCreatesNoFile() throws Exception {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ctx.reset();
            ctx.putProperty("MARTY_LOG_FILE", dir.resolve("unused.json").toString());
            JoranConfigurator jc = new JoranConfigurator();
            jc.setContext(ctx);
            jc.doConfigure(getClass().getResource("/logback-console-test.xml"));
            ctx.start(); // an earlier stop() left the shared context stopped; stop() is a no-op then
            assertThat(new StatusUtil(ctx).getHighestLevel(0)).isLessThan(Status.ERROR);
            LoggerFactory.getLogger("console.Default")
                    .atWarn()
                    .addKeyValue("api_key", "k-123456")
                    .log("ready");
            ctx.stop();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        JsonNode n = out.lines()
                .map(OtlpLogBridgeTest::parse)
                .filter(j -> j.has("message") && j.get("message").asText().equals("ready"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no 'ready' line in stdout: " + out + " status: "
                        + tail(ctx.getStatusManager().getCopyOfStatusList())));
        assertThat(n.get("level").asText()).isEqualTo("WARN");
        assertThat(n.get("fields").get("api_key").asText()).isEqualTo("[REDACTED]");
        assertThat(Files.exists(dir.resolve("unused.json")))
                .as("unreferenced file appender")
                .isFalse();
    }

    private static String tail(List<?> statuses) {
        return String.valueOf(statuses.subList(Math.max(0, statuses.size() - 25), statuses.size()));
    }

    private static JsonNode parse(String line) {
        try {
            return TestLogs.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
