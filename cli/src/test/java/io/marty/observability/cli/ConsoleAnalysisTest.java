package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.console.ConsoleServer;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.loganalysis.RuleSet;
import io.marty.observability.slo.DefaultSlos;
import io.marty.observability.slo.SloTracker;
import io.marty.observability.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** The SLO and alert panels light up from received spans and logs through {@link ConsoleAnalysis}. */
class ConsoleAnalysisTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    void post(ConsoleServer c, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(c.url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    JsonNode get(ConsoleServer c, String path) throws Exception {
        return JSON.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(c.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    static String spans(int count, int errors) {
        long now = System.currentTimeMillis() * 1_000_000L;
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            j.add("""
                {"traceId":"%032x","spanId":"%016x","name":"POST /pay","kind":2,
                 "startTimeUnixNano":"%d","endTimeUnixNano":"%d",
                 "attributes":[{"key":"http.route","value":{"stringValue":"/pay"}},
                               {"key":"http.request.method","value":{"stringValue":"POST"}},
                               {"key":"http.response.status_code","value":{"intValue":"%d"}}]}""".formatted(i + 1, i + 1, now, now + 20_000_000L, i < errors ? 503 : 200));
        }
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"checkout\"}}]},\"scopeSpans\":[{\"spans\":[" + j + "]}]}]}";
    }

    static String failedLogins(int count) {
        long now = System.currentTimeMillis() * 1_000_000L;
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            j.add("""
                {"timeUnixNano":"%d","severityNumber":13,"body":{"stringValue":"Authentication failed for admin"},
                 "attributes":[{"key":"category","value":{"stringValue":"security"}},
                               {"key":"security_event","value":{"stringValue":"authentication_failure"}},
                               {"key":"user_id","value":{"stringValue":"admin"}},
                               {"key":"correlation_id","value":{"stringValue":"corr-%d"}},
                               {"key":"client_ip","value":{"stringValue":"203.0.113.7"}}]}""".formatted(now + i * 1_000_000L, i));
        }
        return "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"gateway\"}}]},\"scopeLogs\":[{\"logRecords\":[" + j + "]}]}]}";
    }

    @Test
    void sloPanelAndAlertsLightUp() throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        SloTracker tracker = SloTracker.builder()
                .clock(clock)
                .slos(DefaultSlos.forService("checkout"))
                .build();
        try (LogAnalyzer analyzer =
                        LogAnalyzer.builder().rules(RuleSet.defaults()).build();
                ConsoleAnalysis analysis = new ConsoleAnalysis(tracker, analyzer);
                ConsoleServer console =
                        analysis.wire(ConsoleServer.builder()).port(0).build().start()) {
            JsonNode idle = get(console, "/api/slos");
            assertThat(idle.get("enabled").asBoolean()).isTrue();
            assertThat(idle.at("/slos/0/state").asText()).isEqualTo("NO_DATA");

            // 30 % errors in the first minute: the 5m window is not covered yet, so no state and no
            // alert (and no extrapolated budget), but the coverage says how much was seen
            post(console, "/v1/traces", spans(100, 30));
            clock.advance(Duration.ofSeconds(90));
            JsonNode early = availability(get(console, "/api/slos").get("slos"));
            assertThat(early.get("state").asText()).isEqualTo("INSUFFICIENT_DATA");
            assertThat(early.get("reason").asText()).contains("5m").contains("not covered");
            assertThat(early.get("observedSeconds").asLong()).isEqualTo(90);
            assertThat(early.get("windowSeconds").asLong())
                    .isEqualTo(Duration.ofDays(30).toSeconds());
            assertThat(early.get("budgetKnown").asBoolean()).isFalse();
            assertThat(early.at("/burnWindowCoverage/5m").asDouble()).isEqualTo(0.3);
            assertThat(get(console, "/api/alerts").get("alerts"))
                    .extracting(a -> a.get("name").asText())
                    .doesNotContain("slo: checkout/availability");

            // six minutes on, still failing: the fast-burn tier's windows are covered and it pages
            clock.advance(Duration.ofMinutes(5));
            post(console, "/v1/traces", spans(100, 30));
            JsonNode availability = availability(get(console, "/api/slos").get("slos"));
            assertThat(availability.get("service").asText()).isEqualTo("checkout");
            assertThat(availability.get("sli").asDouble()).isEqualTo(0.7);
            assertThat(availability.get("errorBudgetRemaining").asDouble()).isNegative();
            assertThat(availability.get("state").asText()).isEqualTo("CRITICAL");
            assertThat(availability.at("/burnRates/5m").asDouble()).isGreaterThan(100);

            post(console, "/v1/logs", failedLogins(30));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode alerts = get(console, "/api/alerts");
                assertThat(alerts.get("enabled").asBoolean()).isTrue();
                assertThat(alerts.get("alerts"))
                        .extracting(a -> a.get("name").asText())
                        .anyMatch(n -> n.equals("slo: checkout/availability"))
                        .anyMatch(n -> n.equals("log: brute_force_login"));
            });
            // one alert per SLO (its most severe firing tier), not one per tier
            assertThat(get(console, "/api/alerts").get("alerts"))
                    .filteredOn(a -> a.get("name").asText().equals("slo: checkout/availability"))
                    .singleElement()
                    .satisfies(a -> {
                        assertThat(a.get("severity").asText()).isEqualTo("critical");
                        assertThat(a.get("message").asText()).contains("error budget exhausted");
                    });
        }
    }

    private static JsonNode availability(JsonNode slos) {
        for (JsonNode s : slos) {
            if (s.get("name").asText().equals("availability")) {
                return s;
            }
        }
        throw new AssertionError("no availability SLO in " + slos);
    }
}
