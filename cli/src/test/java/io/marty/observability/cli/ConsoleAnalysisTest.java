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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
        SloTracker tracker =
                SloTracker.builder().slos(DefaultSlos.forService("checkout")).build();
        try (LogAnalyzer analyzer =
                        LogAnalyzer.builder().rules(RuleSet.defaults()).build();
                ConsoleAnalysis analysis = new ConsoleAnalysis(tracker, analyzer);
                ConsoleServer console =
                        analysis.wire(ConsoleServer.builder()).port(0).build().start()) {
            JsonNode idle = get(console, "/api/slos");
            assertThat(idle.get("enabled").asBoolean()).isTrue();
            assertThat(idle.at("/slos/0/state").asText()).isEqualTo("NO_DATA");

            post(console, "/v1/traces", spans(100, 30));
            JsonNode slos = get(console, "/api/slos").get("slos");
            JsonNode availability = null;
            for (JsonNode s : slos) {
                if (s.get("name").asText().equals("availability")) {
                    availability = s;
                }
            }
            assertThat(availability).isNotNull();
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
}
