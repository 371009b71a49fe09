package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSamplingFilterTest {
    @AfterEach
    void unbind() {
        MartyLogging.bindMetrics(null);
    }

    private static LogSamplingFilter install(TestLogs logs, LogSamplingFilter f) {
        f.setContext(logs.context);
        f.start();
        logs.context.addTurboFilter(f);
        return f;
    }

    @Test
    void categoryRatesNeverTouchErrorSecurityAudit() {
        PrometheusRegistry registry = new PrometheusRegistry();
        MartyLogging.bindMetrics(registry);
        try (TestLogs logs = new TestLogs()) {
            LogSamplingFilter f = new LogSamplingFilter();
            f.setCategoryRates("performance=0, application=0, security=0, audit=0");
            install(logs, f);
            Logger log = logs.logger("s");
            StructuredLogger slog = StructuredLogger.of(log);
            for (int i = 0; i < 50; i++) {
                slog.performance("op", java.time.Duration.ZERO, null); // dropped
                log.info("plain {}", i); // application: dropped
                log.error("error {}", i); // ERROR: kept
                slog.security("login_failed", StructuredLogger.Severity.LOW, Map.of()); // kept
                slog.audit("a", "read", "r", StructuredLogger.Outcome.SUCCESS); // kept
                log.atInfo().addKeyValue("category", "audit").log("kv audit"); // kept
            }
            List<JsonNode> lines = logs.lines();
            assertThat(lines).hasSize(200);
            assertThat(lines).noneMatch(n -> n.get("category").asText().equals("performance"));
            assertThat(f.getDropped(DropReason.SAMPLED)).isEqualTo(100);
            assertThat(BoundedAsyncAppenderTest.droppedCount(registry, "sampled"))
                    .isEqualTo(100.0);
        }
    }

    @Test
    void partialRateKeepsRoughlyThatShare() {
        try (TestLogs logs = new TestLogs()) {
            LogSamplingFilter f = new LogSamplingFilter();
            f.setCategoryRate(LogCategory.BUSINESS, 0.5);
            install(logs, f);
            StructuredLogger slog = StructuredLogger.of(logs.logger("s"));
            for (int i = 0; i < 2000; i++) {
                slog.business("e", null);
            }
            int kept = logs.lines().size();
            // binomial(2000, 0.5): 6 sigma is ~134
            assertThat(kept).isBetween(800, 1200);
            assertThat(kept + f.getDropped(DropReason.SAMPLED)).isEqualTo(2000);
        }
    }

    @Test
    void tokenBucketPerLoggerAndTemplate() {
        try (TestLogs logs = new TestLogs()) {
            LogSamplingFilter f = new LogSamplingFilter();
            f.setRatePerSecond(0.001); // one token per ~17 minutes: no refill during the test
            f.setBurst(5);
            install(logs, f);
            Logger a = logs.logger("a");
            Logger b = logs.logger("b");
            for (int i = 0; i < 100; i++) {
                a.info("storm {}", i);
                a.info("other template {}", i);
                b.info("storm {}", i);
                a.warn("fluent {}", i);
                StructuredLogger.of(a).security("never limited", StructuredLogger.Severity.LOW, null);
                a.error("errors are never limited {}", i);
            }
            List<JsonNode> lines = logs.lines();
            assertThat(lines.stream().filter(n -> n.get("message").asText().startsWith("storm")))
                    .hasSize(10);
            assertThat(lines.stream().filter(n -> n.get("message").asText().startsWith("other")))
                    .hasSize(5);
            assertThat(lines.stream().filter(n -> n.get("message").asText().startsWith("fluent")))
                    .hasSize(5);
            assertThat(lines.stream().filter(n -> n.get("category").asText().equals("security")))
                    .hasSize(100);
            assertThat(lines.stream().filter(n -> n.get("level").asText().equals("ERROR")))
                    .hasSize(100);
            assertThat(f.getDropped(DropReason.RATE_LIMITED)).isEqualTo(4 * 100 - 20);
        }
    }

    @Test
    void disabledLevelsAreNotCountedAsDrops() {
        try (TestLogs logs = new TestLogs()) {
            LogSamplingFilter f = new LogSamplingFilter();
            f.setCategoryRates("application=0");
            install(logs, f);
            Logger log = logs.logger("quiet");
            log.setLevel(ch.qos.logback.classic.Level.WARN);
            for (int i = 0; i < 10; i++) {
                log.debug("d");
            }
            assertThat(f.getDropped(DropReason.SAMPLED)).isZero();
        }
    }

    @Test
    void templateMapIsBounded() {
        try (TestLogs logs = new TestLogs()) {
            LogSamplingFilter f = new LogSamplingFilter();
            f.setRatePerSecond(0.001);
            f.setBurst(3);
            f.setMaxTemplates(2);
            install(logs, f);
            Logger log = logs.logger("t");
            for (int i = 0; i < 10; i++) {
                log.info("unique template " + i); // string concat: a new template every time
            }
            // two own buckets (1 event each) + the shared overflow bucket (3 events)
            assertThat(logs.lines()).hasSize(5);
        }
    }

    @Test
    void badConfigurationNamesKeyAndValue() {
        LogSamplingFilter f = new LogSamplingFilter();
        f.setCategoryRates("performance=2");
        assertThatThrownBy(f::start)
                .hasMessageContaining("categoryRates.performance")
                .hasMessageContaining("2");
        LogSamplingFilter g = new LogSamplingFilter();
        g.setCategoryRates("gossip=0.1");
        assertThatThrownBy(g::start).hasMessageContaining("gossip");
        LogSamplingFilter h = new LogSamplingFilter();
        h.setCategoryRates("performance");
        assertThatThrownBy(h::start).hasMessageContaining("category=rate");
    }
}
