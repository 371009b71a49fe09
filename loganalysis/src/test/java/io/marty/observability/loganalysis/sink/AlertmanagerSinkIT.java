package io.marty.observability.loganalysis.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.loganalysis.Alert;
import io.marty.observability.loganalysis.Events2;
import io.marty.observability.loganalysis.LogAnalyzer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Alertmanager sink against a real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1. */
class AlertmanagerSinkIT {
    private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Process process;
    private URI base;

    @BeforeEach
    void startAlertmanager() throws Exception {
        if (!Files.isExecutable(BINARY)) {
            assumeTrue(System.getenv("CI") != null, "prometheus-alertmanager not installed");
            throw new IllegalStateException("CI is set but " + BINARY + " is missing");
        }
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n");
        int port = freePort();
        process = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        base = URI.create("http://127.0.0.1:" + port);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("alertmanager exited: %s", log())
                            .isTrue();
                    try {
                        return HTTP.send(
                                                HttpRequest.newBuilder(base.resolve("/-/ready"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("alertmanager.log"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @AfterEach
    void stopAlertmanager() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void alertsFromTheAnalyzerArriveInAlertmanagerWithLabelsAndAnnotations() throws Exception {
        List<Alert> raised = new ArrayList<>();
        try (AlertmanagerAlertSink sink = AlertmanagerAlertSink.builder(base)
                        .generatorUrl("http://127.0.0.1:8080/alerts")
                        .build();
                LogAnalyzer analyzer = LogAnalyzer.builder()
                        .addSink(sink)
                        .addListener(raised::add)
                        .build()) {
            // Ten failed logins for one user, stamped now so Alertmanager sees an active alert.
            long now = Instant.now().toEpochMilli();
            for (int i = 0; i < 10; i++) {
                analyzer.accept(Events2.loginFailureAt(now - 9_000 + i * 1000L, "mallory", "198.51.100.7"));
            }
            assertThat(raised).extracting(Alert::rule).contains("brute_force_login");
            assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(sink.failed())
                    .as("alertmanager rejected alerts: %s", log())
                    .isZero();
            assertThat(sink.delivered()).isEqualTo(raised.size());
        }
        JsonNode alerts = MAPPER.readTree(HTTP.send(
                        HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        JsonNode bf = null;
        for (JsonNode a : alerts) {
            if (a.get("labels").get("alertname").asText().equals("brute_force_login")) {
                bf = a;
            }
        }
        assertThat(bf).as("brute_force_login in %s", alerts).isNotNull();
        assertThat(bf.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(bf.get("labels").get("user_id").asText()).isEqualTo("mallory");
        assertThat(bf.get("labels").get("service").asText()).isEqualTo("auth");
        assertThat(bf.get("annotations").get("description").asText()).contains("10 failed logins for user 'mallory'");
        assertThat(bf.get("status").get("state").asText()).isEqualTo("active");
        assertThat(bf.get("generatorURL").asText()).isEqualTo("http://127.0.0.1:8080/alerts");
    }
}
