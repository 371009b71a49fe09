package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marty.observability.logging.StructuredLogger.Lifecycle;
import io.marty.observability.logging.StructuredLogger.Outcome;
import io.marty.observability.logging.StructuredLogger.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class StructuredLoggerTest {
    @Test
    void helpersWriteCategoryLevelAndFields() {
        try (TestLogs logs = new TestLogs()) {
            StructuredLogger log = StructuredLogger.of(logs.logger("svc"));
            log.business("order_completed", Map.of("amount", 99.99, "currency", "USD"));
            log.security("login_failed", Severity.HIGH, Map.of("source_ip", "10.1.2.3"));
            log.security("breach", Severity.CRITICAL, null);
            log.audit("admin123", "data_read", "user_profile", Outcome.SUCCESS);
            log.audit("bob", "delete", "invoice/7", Outcome.DENIED, Map.of("reason", "role"));
            log.performance("db.query", Duration.ofMillis(42), Map.of("table", "orders"));
            log.lifecycle(Lifecycle.STARTED, Map.of("port", 8080));
            log.access(
                    "GET",
                    "/orders/{id}",
                    200,
                    Duration.ofMillis(3),
                    Map.of("Authorization", List.of("Bearer s3cr3t-token"), "Accept", List.of("*/*")));
            log.info(LogCategory.INFRASTRUCTURE, "pool resized", Map.of("size", 10));
            log.error(LogCategory.ERROR, "failed", Map.of("order_id", "o-1"), new IllegalStateException("x"));
            log.at(Level.DEBUG, LogCategory.APPLICATION).addKeyValue("k", "v").log("fluent");

            List<JsonNode> l = logs.lines();
            assertThat(l).hasSize(11);
            assertThat(l.get(0).get("category").asText()).isEqualTo("business");
            assertThat(l.get(0).get("message").asText()).isEqualTo("order_completed");
            assertThat(l.get(0).get("fields").get("currency").asText()).isEqualTo("USD");
            assertThat(l.get(1).get("category").asText()).isEqualTo("security");
            assertThat(l.get(1).get("level").asText()).isEqualTo("WARN");
            assertThat(l.get(1).get("fields").get("severity").asText()).isEqualTo("high");
            assertThat(l.get(2).get("level").asText()).isEqualTo("ERROR");
            assertThat(l.get(3).get("category").asText()).isEqualTo("audit");
            assertThat(l.get(3).get("message").asText()).isEqualTo("admin123 data_read user_profile: success");
            assertThat(l.get(3).get("fields").get("actor").asText()).isEqualTo("admin123");
            assertThat(l.get(4).get("level").asText()).isEqualTo("WARN");
            assertThat(l.get(4).get("fields").get("reason").asText()).isEqualTo("role");
            assertThat(l.get(5).get("category").asText()).isEqualTo("performance");
            assertThat(l.get(5).get("fields").get("duration_ms").asDouble()).isEqualTo(42.0);
            assertThat(l.get(6).get("category").asText()).isEqualTo("infrastructure");
            assertThat(l.get(6).get("message").asText()).isEqualTo("service started");
            assertThat(l.get(7).get("category").asText()).isEqualTo("access");
            assertThat(l.get(7)
                            .get("fields")
                            .get("headers")
                            .get("Authorization")
                            .asText())
                    .isEqualTo("[REDACTED]");
            assertThat(l.get(7).get("fields").get("route").asText()).isEqualTo("/orders/{id}");
            assertThat(l.get(8).get("category").asText()).isEqualTo("infrastructure");
            assertThat(l.get(9).get("exception").get("type").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(l.get(10).get("fields").get("k").asText()).isEqualTo("v");
            assertThat(logs.text()).doesNotContain("s3cr3t-token");
        }
    }

    @Test
    void disabledLevelsBuildNothing() {
        try (TestLogs logs = new TestLogs()) {
            ch.qos.logback.classic.Logger l = logs.logger("quiet");
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
            StructuredLogger log = StructuredLogger.of(l);
            log.business("x", Map.of());
            log.performance("op", Duration.ZERO, null);
            log.security("s", Severity.CRITICAL, null);
            assertThat(logs.lines()).hasSize(1);
        }
    }
}
