package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
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
 * Starts a real Prometheus on 127.0.0.1 with generated rules, scraping a service that exposes the
 * framework's RED metrics ({@code mmf_requests_total}, {@code mmf_request_duration_seconds}) through
 * client_java's HTTPServer, drives errors and slow requests into it, and checks that the recording rules
 * produce the error ratios the in-process tracker computes for the same requests, and that the page alert
 * fires.
 */
class PrometheusAgreementIT {
    private static final String SERVICE = "it-orders";
    private static final String[] LABELS = {"service", "protocol", "direction", "method", "route", "outcome"};

    @TempDir
    Path dir;

    private Process prometheus;
    private HTTPServer server;
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
        if (server != null) {
            server.close();
        }
    }

    @Test
    void recordingRulesMatchTheTrackerOnARealServer() throws Exception {
        Path promtool = Tools.require("prometheus");
        List<Slo> slos = DefaultSlos.forService(SERVICE);

        // 1. the instrumented service: the framework's metric names and labels
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter requests = Counter.builder()
                .name("mmf_requests_total")
                .help("requests")
                .labelNames("service", "protocol", "direction", "method", "route", "status", "outcome")
                .register(registry);
        Histogram duration = Histogram.builder()
                .name("mmf_request_duration_seconds")
                .help("request duration")
                .unit(null)
                .classicOnly()
                .classicUpperBounds(Slo.DURATION_BUCKETS.stream()
                        .mapToDouble(Double::doubleValue)
                        .toArray())
                .labelNames(LABELS)
                .register(registry);
        // children exist (at zero) before the first scrape, as after the first request of each kind
        requests.labelValues(SERVICE, "http", "server", "GET", "/orders/{id}", "200", "success");
        requests.labelValues(SERVICE, "http", "server", "GET", "/orders/{id}", "500", "server_error");
        duration.labelValues(SERVICE, "http", "server", "GET", "/orders/{id}", "success");
        duration.labelValues(SERVICE, "http", "server", "GET", "/orders/{id}", "server_error");
        server = HTTPServer.builder()
                .hostname("127.0.0.1")
                .port(0)
                .registry(registry)
                .buildAndStart();

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
                """.formatted(server.getPort()));
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

        // 3. traffic: 1000 requests, 100 server errors, 200 slow successes; the tracker sees the same
        SloTracker tracker = SloTracker.builder().slos(slos).build();
        drive(requests, duration, tracker, "success", "200", 0.02, 700);
        drive(requests, duration, tracker, "success", "200", 0.7, 200);
        drive(requests, duration, tracker, "server_error", "500", 0.02, 100);
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

    private static void drive(
            Counter requests,
            Histogram duration,
            SloTracker tracker,
            String outcome,
            String status,
            double seconds,
            int n) {
        for (int i = 0; i < n; i++) {
            requests.labelValues(SERVICE, "http", "server", "GET", "/orders/{id}", status, outcome)
                    .inc();
            duration.labelValues(SERVICE, "http", "server", "GET", "/orders/{id}", outcome)
                    .observe(seconds);
            tracker.record(SERVICE, "http", "server", "GET", "/orders/{id}", outcome, seconds);
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
