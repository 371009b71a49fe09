package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.marty.observability.core.metrics.RedMetrics;
import io.marty.observability.testing.ExternalTools;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real Prometheus on 127.0.0.1 with generated rules, scraping a service instrumented by the
 * framework ({@link MartyObservability} with its /metrics port), drives errors and slow requests into it, and checks that the recording rules
 * produce the error ratios the in-process tracker computes for the same requests, and that the page alert
 * fires.
 */
class PrometheusAgreementIT {
    private static final String SERVICE = "it-orders";
    private static final String ROUTE = "/orders/{id}";

    @TempDir
    Path dir;

    private Process prometheus;
    private MartyObservability obs;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (obs != null) {
            obs.close();
        }
    }

    @Test
    void recordingRulesMatchTheTrackerOnARealServer() throws Exception {
        Path promtool = ExternalTools.require("prometheus");
        List<Slo> slos = DefaultSlos.forService(SERVICE);

        // 1. a service instrumented by the framework, with its /metrics endpoint on a free loopback port
        obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName(SERVICE)
                .exporter("none")
                .spanExporter(InMemorySpanExporter.create())
                .prometheusRegistry(new PrometheusRegistry())
                .prometheusPort(0)
                .prometheusHost("127.0.0.1")
                .build());
        RedMetrics red = obs.metrics().red();
        // Requests before Prometheus starts, so every series exists at its first scrape. Prometheus only
        // counts increases after that scrape (the tracker is attached afterwards), but rate() extrapolates
        // towards the window start in proportion to each series' first value: keep these in the same
        // proportions as the traffic below (70 % fast, 20 % slow, 10 % errors) so the ratios stay exact.
        drive(red, "200", Outcome.SUCCESS, 0.02, 7);
        drive(red, "200", Outcome.SUCCESS, 0.7, 2);
        drive(red, "500", Outcome.SERVER_ERROR, 0.02, 1);

        // 2. Prometheus with the generated rules, 1 s scrape and evaluation
        Files.writeString(dir.resolve("slo.rules.yml"), SloRuleGenerator.rules(slos));
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [slo.rules.yml]
                scrape_configs:
                  - job_name: it
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(obs.prometheusPort()));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        prometheus = new ProcessBuilder(
                        promtool.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        String base = "http://127.0.0.1:" + port;
        Awaitility.await("Prometheus scrapes the service")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> query(base, "up{job=\"it\"} == 1").size() == 1);

        // 3. traffic through the framework: 1000 requests, 100 server errors, 200 slow successes; the
        // tracker is fed by the RED metrics listener, exactly as in production
        SloTracker tracker = SloTracker.builder().slos(slos).build().attachTo(obs);
        drive(red, "200", Outcome.SUCCESS, 0.02, 700);
        drive(red, "200", Outcome.SUCCESS, 0.7, 200);
        drive(red, "500", Outcome.SERVER_ERROR, 0.02, 100);
        assertThat(tracker.errorRatio(SERVICE + "/availability", Duration.ofMinutes(5)))
                .isEqualTo(0.1);
        assertThat(tracker.errorRatio(SERVICE + "/latency", Duration.ofMinutes(5)))
                .isEqualTo(0.2);
        assertThat(tracker.errorRatio(SERVICE + "/success-rate", Duration.ofMinutes(5)))
                .isEqualTo(0.1);

        // 4. every recorded error ratio equals the tracker's
        for (Slo slo : slos) {
            for (Duration w : SloRuleGenerator.recordedWindows(slo)) {
                String q = SloRuleGenerator.ratioRecord(w) + "{service=\"" + SERVICE + "\",slo=\"" + slo.name() + "\"}";
                double expected = tracker.errorRatio(slo.id(), w);
                Awaitility.await(q)
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            JsonNode r = query(base, q);
                            assertThat(r).hasSize(1);
                            assertThat(r.get(0).get("value").get(1).asDouble()).isCloseTo(expected, offset(1e-9));
                        });
            }
        }
        // 5. a 100x burn pages; burn rate and budget rules agree with the tracker
        Awaitility.await("page alert fires")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> query(
                                        base,
                                        "ALERTS{alertname=\"" + SloRuleGenerator.ALERT_NAME + "\",service=\"" + SERVICE
                                                + "\",slo=\"availability\",severity=\"page\",alertstate=\"firing\"}")
                                .size()
                        == 1);
        SloStatus status = tracker.status(SERVICE + "/availability");
        assertThat(status.firing("page")).isTrue();
        JsonNode burn = query(base, "slo:current_burn_rate:ratio{service=\"" + SERVICE + "\",slo=\"availability\"}");
        assertThat(burn.get(0).get("value").get(1).asDouble())
                .isCloseTo(status.burnRate(Duration.ofMinutes(5)), offset(1e-6));
        JsonNode remaining = query(
                base, "slo:period_error_budget_remaining:ratio{service=\"" + SERVICE + "\",slo=\"availability\"}");
        assertThat(remaining.get(0).get("value").get(1).asDouble()).isCloseTo(status.budgetRemaining(), offset(1e-6));
    }

    private static void drive(RedMetrics red, String status, Outcome outcome, double seconds, int n) {
        for (int i = 0; i < n; i++) {
            red.record(Protocol.HTTP, Direction.SERVER, "GET", ROUTE, status, outcome, seconds);
        }
    }

    private JsonNode query(String base, String promql) throws Exception {
        String url = base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time="
                + Instant.now().getEpochSecond();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = json.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException(promql + ": " + r.body());
        }
        return body.get("data").get("result");
    }
}
