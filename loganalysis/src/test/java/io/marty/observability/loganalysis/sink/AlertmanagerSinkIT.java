package io.marty.observability.loganalysis.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.AlertmanagerAlertSink;
import io.marty.observability.loganalysis.Events2;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.testing.LocalAlertmanager;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Alertmanager sink (core) against a real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1. */
class AlertmanagerSinkIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private LocalAlertmanager alertmanager;
    private URI base;

    @BeforeEach
    void startAlertmanager() throws Exception {
        alertmanager = LocalAlertmanager.start(dir);
        base = alertmanager.baseUri();
    }

    private String log() {
        return alertmanager.log();
    }

    @AfterEach
    void stopAlertmanager() throws Exception {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @Test
    void alertsFromTheAnalyzerArriveInAlertmanagerWithLabelsAndAnnotations() throws Exception {
        List<Alert> raised = new ArrayList<>();
        try (AlertmanagerAlertSink sink = AlertmanagerAlertSink.builder(base)
                        .source("marty-loganalysis")
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
        JsonNode alerts = MAPPER.readTree(alertmanager.alertsJson());
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
        assertThat(bf.get("labels").get("source").asText()).isEqualTo("marty-loganalysis");
        assertThat(bf.get("annotations").get("description").asText()).contains("10 failed logins for user 'mallory'");
        assertThat(bf.get("status").get("state").asText()).isEqualTo("active");
        assertThat(bf.get("generatorURL").asText()).isEqualTo("http://127.0.0.1:8080/alerts");
    }
}
