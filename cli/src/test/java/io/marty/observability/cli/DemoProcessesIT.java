package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.marty.observability.console.ConsoleServer;
import io.marty.observability.demo.traffic.DemoRequest;
import io.marty.observability.demo.traffic.HttpTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real demo services as child JVMs export traces, logs and metrics to the console, one service.name each. */
class DemoProcessesIT {
    @Test
    void failedCheckoutIsOneCorrelationAcrossThreeProcesses() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start();
                DemoProcesses services = DemoProcesses.start(console.url(), Duration.ofSeconds(90))) {
            HttpTarget target = new HttpTarget(services.gatewayUri());
            assertThat(target.send(new DemoRequest(DemoRequest.Kind.BROWSE, "u1", "198.51.100.1", 0, "", false, 0)))
                    .isEqualTo(200);
            assertThat(target.send(new DemoRequest(DemoRequest.Kind.CHECKOUT, "u2", "198.51.100.2", 1234, "", true, 0)))
                    .isGreaterThanOrEqualTo(500);
            assertThat(target.send(
                            new DemoRequest(DemoRequest.Kind.LOGIN, "admin", "203.0.113.7", 0, "guess", false, 0)))
                    .isEqualTo(401);
            assertThat(target.send(
                            new DemoRequest(DemoRequest.Kind.CHECKOUT, "u3", "198.51.100.3", 2500, "", false, 0)))
                    .isEqualTo(200);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode traces = ConsoleApi.get(console, "/api/traces?status=error&service=payment-service")
                        .get("traces");
                assertThat(traces).isNotEmpty();
                String correlationId = traces.get(0).get("correlationId").asText();
                assertThat(correlationId).isNotEmpty();
                JsonNode corr = ConsoleApi.get(console, "/api/correlations/" + correlationId);
                assertThat(corr.get("services"))
                        .extracting(JsonNode::asText)
                        .containsExactly("gateway", "order-service", "payment-service");
                assertThat(corr.get("logCount").asInt()).isGreaterThanOrEqualTo(2);
                // the order service stored the failed order: its SQL spans are on the correlation timeline
                List<String> spanNames = new ArrayList<>();
                corr.get("items").forEach(item -> {
                    if (item.get("type").asText().equals("span")) {
                        spanNames.add(item.get("span").get("name").asText());
                    }
                });
                assertThat(spanNames).contains("UPDATE orders", "INSERT orders", "COMMIT");
            });
            // the business metrics each process pushes fill the console's Business view: the order
            // service's health score with its components, the payment service's revenue
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode business = ConsoleApi.get(console, "/api/business");
                JsonNode health = find(business.get("health"), "order-service", null);
                assertThat(health).as("%s", business).isNotNull();
                assertThat(health.get("latest").isNumber()).isTrue();
                JsonNode errors = find(business.get("components"), "order-service", "error_rate");
                assertThat(errors).as("%s", business.get("components")).isNotNull();
                assertThat(errors.get("subScore").isNumber()).isTrue();
                assertThat(errors.get("baseline").asDouble()).isEqualTo(0.05);
                assertThat(errors.get("weight").asDouble()).isPositive();
                assertThat(find(business.get("revenue"), "payment-service", null))
                        .as("%s", business.get("revenue"))
                        .isNotNull();
            });
            JsonNode security = ConsoleApi.get(console, "/api/logs?category=security&level=WARN")
                    .get("logs");
            assertThat(security).isNotEmpty();
            assertThat(security.get(0).get("service").asText()).isEqualTo("gateway");
        }
    }

    /** The entry of {@code rows} for {@code service} (and {@code component} when given), or null. */
    static JsonNode find(JsonNode rows, String service, String component) {
        for (JsonNode r : rows) {
            if (r.get("service").asText().equals(service)
                    && (component == null || r.get("component").asText().equals(component))) {
                return r;
            }
        }
        return null;
    }
}
