package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.business.BusinessAlertRules;
import io.marty.observability.business.BusinessAlerting;
import io.marty.observability.business.BusinessMetrics;
import io.marty.observability.business.Money;
import io.marty.observability.console.ConsoleServer;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.LogAlertSink;
import io.marty.observability.demo.DemoBusiness;
import io.marty.observability.testing.ManualClock;
import io.marty.observability.testing.MartyTesting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The line the business module's {@code log} notifier writes for a real revenue anomaly (the demo's
 * rules on a manual clock) is what the console's Business view lists, with observed and expected
 * values; the absence alert the same rules raise is not an anomaly and is left out.
 */
class ConsoleBusinessAnomalyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theLogNotifiersAnomalyLineIsListedWithObservedAndExpected() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-02T00:00:00Z"));
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Logger alertLogger = (Logger) LoggerFactory.getLogger(LogAlertSink.LOGGER_NAME);
        lines.start();
        alertLogger.addAppender(lines);
        List<Alert> seen = new ArrayList<>();
        try (MartyTesting marty = MartyTesting.start("shop")) {
            BusinessMetrics m = BusinessMetrics.builder(marty.observability().metrics())
                    .clock(clock)
                    .bucket(Duration.ofSeconds(1))
                    .retention(Duration.ofMinutes(10))
                    .build();
            try (BusinessAlerting alerting = BusinessAlerting.builder(
                            BusinessAlertRules.parse(DemoBusiness.RULES, "demo rules"), m)
                    .sinksFromRules()
                    .addListener(seen::add)
                    .build()) {
                Random random = new Random(7);
                // four minutes of about 10 USD a second, then a tenth of it
                for (int s = 0; s < 330 && seen.stream().noneMatch(a -> a.rule().equals("revenue_anomaly")); s++) {
                    long cents = s < 240 ? 900 + random.nextInt(200) : 100;
                    m.revenue(Money.ofMinor(cents, "USD"), "web");
                    clock.advance(Duration.ofSeconds(1));
                    if (s % 5 == 4) {
                        alerting.evaluate();
                    }
                }
            }
        } finally {
            alertLogger.detachAppender(lines);
        }
        Alert anomaly = seen.stream()
                .filter(a -> a.rule().equals("revenue_anomaly"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no revenue anomaly: " + seen));
        assertThat(seen).extracting(Alert::rule).contains("no_orders");
        List<String> written =
                lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(written).hasSizeGreaterThanOrEqualTo(2);

        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start()) {
            long now = System.currentTimeMillis() * 1_000_000L;
            List<Map<String, Object>> records = new ArrayList<>();
            for (String line : written) {
                records.add(Map.of(
                        "timeUnixNano", String.valueOf(now),
                        "severityText", "ERROR",
                        "body", Map.of("stringValue", line)));
            }
            Map<String, Object> body = Map.of(
                    "resourceLogs",
                    List.of(Map.of(
                            "resource",
                            Map.of(
                                    "attributes",
                                    List.of(Map.of("key", "service.name", "value", Map.of("stringValue", "shop")))),
                            "scopeLogs",
                            List.of(Map.of(
                                    "scope", Map.of("name", LogAlertSink.LOGGER_NAME), "logRecords", records)))));
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(console.url() + "/v1/logs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode anomalies = JSON.readTree(http.send(
                                    HttpRequest.newBuilder(URI.create(console.url() + "/api/business"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .get("anomalies");
            assertThat(anomalies).as("%s from %s", anomalies, written).hasSize(1);
            JsonNode a = anomalies.get(0);
            assertThat(a.get("rule").asText()).isEqualTo("revenue_anomaly");
            assertThat(a.get("severity").asText()).isEqualTo("critical");
            assertThat(a.get("direction").asText()).isEqualTo("drop");
            assertThat(a.get("series").asText()).startsWith("revenue (USD");
            // the line carries four significant digits
            assertThat(a.get("observed").asDouble())
                    .isCloseTo(anomaly.value(), org.assertj.core.api.Assertions.withinPercentage(0.1));
            assertThat(a.get("expected").asDouble())
                    .isCloseTo(anomaly.threshold(), org.assertj.core.api.Assertions.withinPercentage(0.1));
        }
    }
}
