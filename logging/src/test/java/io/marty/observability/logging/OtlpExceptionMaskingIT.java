package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span.Event;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Exception text leaves the process masked on every OTLP path: the real OTLP/HTTP exporters send to
 * a receiver in the test, whose protobuf requests are decoded and searched for the raw values.
 */
class OtlpExceptionMaskingIT {
    // Luhn-valid card numbers, grouped as people write them
    private static final String CARD = "4111 1111 1111 1111";
    private static final String CAUSE_CARD = "5500-0000-0000-0004";
    private static final String EMAIL = "jane.doe@example.com";
    private static final List<String> RAW =
            List.of(CARD, CARD.replace(" ", ""), CAUSE_CARD, CAUSE_CARD.replace("-", ""), EMAIL, "jane.doe");

    private HttpServer receiver;
    private final List<byte[]> traceBodies = new CopyOnWriteArrayList<>();
    private final List<byte[]> logBodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiverAndLogback() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", ex -> receive(ex, traceBodies));
        receiver.createContext("/v1/logs", ex -> receive(ex, logBodies));
        receiver.start();
        configureLogback(null);
    }

    private void configureLogback(String maskingStrategy) throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        if (maskingStrategy != null) {
            ctx.putProperty("MARTY_LOG_MASKING_STRATEGY", maskingStrategy);
        }
        JoranConfigurator jc = new JoranConfigurator();
        jc.setContext(ctx);
        jc.doConfigure(getClass().getResource("/logback-otlp-only-test.xml"));
        ctx.start();
        assertThat(new StatusUtil(ctx).getHighestLevel(0))
                .as("logback config status")
                .isLessThan(Status.ERROR);
    }

    private static void receive(HttpExchange ex, List<byte[]> into) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            into.add(in.readAllBytes());
        }
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, 0);
        ex.close();
    }

    @AfterEach
    void stop() {
        MartyObservability.current().ifPresent(MartyObservability::close);
        receiver.stop(0);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).reset();
    }

    @Test
    void exceptionMessagesStackTracesAndStatusAreMaskedInExportedLogsAndSpans() throws Exception {
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("checkout")
                .exporter("otlp")
                .otlpProtocol("http/protobuf")
                .otlpEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort())
                .shutdownTimeout(Duration.ofSeconds(10))
                .registerGlobal(false)
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        MartyLogging.install(obs);

        IllegalStateException error = new IllegalStateException(
                "payment declined for card " + CARD + " of " + EMAIL,
                new IllegalArgumentException("issuer rejected " + CAUSE_CARD));
        Span helperSpan = obs.tracing().startSpan("charge");
        try (Scope ignored = helperSpan.makeCurrent()) {
            LoggerFactory.getLogger("checkout.Payments").error("charge failed", error);
            Tracing.recordFailure(helperSpan, error); // core's helper, as the HTTP/gRPC exchanges do
        } finally {
            helperSpan.end();
        }
        Span plain = obs.openTelemetry().getTracer("app").spanBuilder("refund").startSpan();
        plain.recordException(error);
        plain.setStatus(StatusCode.ERROR, error.getMessage());
        plain.end();
        obs.close(); // flushes both batch processors

        List<LogRecord> records = logBodies.stream()
                .map(OtlpExceptionMaskingIT::parseLogs)
                .flatMap(r -> r.getResourceLogsList().stream())
                .flatMap(r -> r.getScopeLogsList().stream())
                .flatMap(s -> s.getLogRecordsList().stream())
                .collect(Collectors.toList());
        LogRecord record = records.stream()
                .filter(r -> r.getBody().getStringValue().equals("charge failed"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no exported log record in " + records));
        Map<String, String> logAttributes = attributes(record.getAttributesList());
        assertThat(logAttributes.get("exception.type")).isEqualTo(IllegalStateException.class.getName());
        assertThat(logAttributes.get("exception.message"))
                .isEqualTo("payment declined for card [REDACTED:card] of [REDACTED:email]");
        assertThat(logAttributes.get("exception.stacktrace"))
                .contains("IllegalStateException: payment declined for card [REDACTED:card] of [REDACTED:email]")
                .contains("Caused by: java.lang.IllegalArgumentException: issuer rejected [REDACTED:card]")
                .contains("at io.marty.observability.logging.OtlpExceptionMaskingIT");

        List<io.opentelemetry.proto.trace.v1.Span> spans = traceBodies.stream()
                .map(OtlpExceptionMaskingIT::parseTraces)
                .flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream())
                .collect(Collectors.toList());
        assertThat(spans)
                .extracting(io.opentelemetry.proto.trace.v1.Span::getName)
                .contains("charge", "refund");
        for (io.opentelemetry.proto.trace.v1.Span span : spans) {
            Event event = span.getEventsList().stream()
                    .filter(e -> e.getName().equals("exception"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no exception event on " + span.getName()));
            Map<String, String> eventAttributes = attributes(event.getAttributesList());
            assertThat(eventAttributes.get("exception.message"))
                    .isEqualTo("payment declined for card [REDACTED:card] of [REDACTED:email]");
            assertThat(eventAttributes.get("exception.stacktrace"))
                    .contains("Caused by: java.lang.IllegalArgumentException: issuer rejected [REDACTED:card]");
        }
        assertThat(spans.stream()
                        .filter(s -> s.getName().equals("refund"))
                        .findFirst()
                        .orElseThrow()
                        .getStatus()
                        .getMessage())
                .isEqualTo("payment declined for card [REDACTED:card] of [REDACTED:email]");

        // nothing on the wire holds the raw values, in any field
        for (byte[] body : concat(traceBodies, logBodies)) {
            String wire = new String(body, StandardCharsets.ISO_8859_1);
            for (String raw : RAW) {
                assertThat(wire).as("exported bytes").doesNotContain(raw);
            }
        }
    }

    @Test
    void installUsesTheStrategyOfTheMaskingAppenderInFrontOfTheOtlpBridge() throws Exception {
        configureLogback("partial");
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("checkout")
                .exporter("none")
                .spanExporter(spans)
                .registerGlobal(false)
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        MartyLogging.install(obs);
        Span span = obs.tracing().startSpan("charge");
        Tracing.recordFailure(span, new IllegalStateException("card " + CARD + " of " + EMAIL));
        span.end();
        obs.close();
        assertThat(spans.getFinishedSpanItems().get(0).getEvents().get(0).getAttributes())
                .extracting(a -> a.get(AttributeKey.stringKey("exception.message")))
                .isEqualTo("card ****1111 of j***@example.com");
    }

    private static List<byte[]> concat(List<byte[]> a, List<byte[]> b) {
        assertThat(a).as("trace requests received").isNotEmpty();
        assertThat(b).as("log requests received").isNotEmpty();
        List<byte[]> all = new CopyOnWriteArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static ExportLogsServiceRequest parseLogs(byte[] body) {
        try {
            return ExportLogsServiceRequest.parseFrom(body);
        } catch (IOException e) {
            throw new AssertionError("not an OTLP logs request", e);
        }
    }

    private static ExportTraceServiceRequest parseTraces(byte[] body) {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (IOException e) {
            throw new AssertionError("not an OTLP traces request", e);
        }
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        return kvs.stream()
                .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (x, y) -> y));
    }
}
