package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.marty.observability.console.ConsoleServer;
import io.marty.observability.demo.traffic.Fault;
import io.marty.observability.demo.traffic.FaultSchedule;
import io.marty.observability.demo.traffic.SimulatedShop;
import io.marty.observability.demo.traffic.TrafficGenerator;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's data path: traffic with faults → simulated shop → OTLP → console API. */
class DemoTrafficIT {
    @Test
    void faultsShowUpAsCorrelatedErrorsAcrossThreeServices() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start()) {
            SimulatedShop shop = new SimulatedShop(console.url(), Duration.ofSeconds(1));
            FaultSchedule schedule = FaultSchedule.builder()
                    .window(Fault.ERROR_BURST, Duration.ZERO, Duration.ofSeconds(2))
                    .window(Fault.BRUTE_FORCE, Duration.ZERO, Duration.ofSeconds(2))
                    .build();
            try (TrafficGenerator gen = TrafficGenerator.builder(shop)
                    .requestsPerSecond(60)
                    .schedule(schedule)
                    .duration(Duration.ofSeconds(3))
                    .build()) {
                gen.start();
                assertThat(gen.awaitCompletion(Duration.ofSeconds(20))).isTrue();
                gen.close();
                assertThat(gen.stats().serverErrors()).isPositive();
            }
            shop.flush();

            JsonNode services =
                    ConsoleApi.get(console, "/api/services?window=0").get("services");
            Set<String> names = new HashSet<>();
            services.forEach(s -> names.add(s.get("service").asText()));
            assertThat(names).contains("gateway", "order-service", "payment-service");

            // an error log of the payment service leads, through its correlation id, to all three services
            JsonNode errorLog = ConsoleApi.get(console, "/api/logs?level=ERROR&service=payment-service&limit=1")
                    .get("logs")
                    .get(0);
            assertThat(errorLog.get("body").asText()).contains("Payment failed");
            String correlationId = errorLog.get("correlationId").asText();
            JsonNode corr = ConsoleApi.get(console, "/api/correlations/" + correlationId);
            assertThat(corr.get("services"))
                    .extracting(JsonNode::asText)
                    .containsExactly("gateway", "order-service", "payment-service");
            assertThat(corr.get("traces")).hasSize(1);
            JsonNode trace = ConsoleApi.get(
                    console, "/api/traces/" + errorLog.get("traceId").asText());
            assertThat(trace.at("/summary/rootName").asText()).isEqualTo("POST /checkout");
            assertThat(trace.at("/summary/errorCount").asInt()).isGreaterThanOrEqualTo(2);

            // brute force: failed logins of 'admin' from one address, as security logs
            JsonNode security = ConsoleApi.get(console, "/api/logs?category=security&q=admin&limit=50")
                    .get("logs");
            assertThat(security.size()).isGreaterThan(5);

            // metric exemplars point at traces the console holds (exemplar -> trace)
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode series = ConsoleApi.get(console, "/api/metrics?name=mmf_request_duration_seconds")
                        .get("series");
                assertThat(series).isNotEmpty();
                String exemplarTrace = null;
                for (JsonNode s : series) {
                    if (s.get("exemplars").size() > 0) {
                        exemplarTrace = s.at("/exemplars/0/traceId").asText();
                    }
                }
                assertThat(exemplarTrace).isNotNull();
                assertThat(ConsoleApi.get(console, "/api/traces/" + exemplarTrace)
                                .get("spans"))
                        .isNotEmpty();
            });
            shop.close();
        }
    }

    @Test
    void demoRulesParse() {
        assertThat(DemoCommand.demoRules().rules())
                .extracting(r -> r.name())
                .contains("brute_force_login", "slow_requests", "revenue_drop", "high_error_rate");
    }

    @Test
    void durationOptionParsing() {
        assertThat(DemoCommand.parseDuration("--duration", "60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(DemoCommand.parseDuration("--duration", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DemoCommand.parseDuration("--duration", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DemoCommand.parseDuration("--duration", "PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DemoCommand.parseDuration("--duration", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> DemoCommand.parseDuration("--duration", "soon"))
                .hasMessageContaining("--duration")
                .hasMessageContaining("soon");
    }
}
