package io.marty.observability.loganalysis.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.AlertmanagerAlertSink;
import io.marty.observability.core.alert.JsonLinesAlertSink;
import io.marty.observability.core.alert.WebhookAlertSink;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhook and JSON-lines sinks against a real JDK HTTP server on 127.0.0.1. */
class HttpSinksTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private URI start(int status) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            requests.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            int code = failFirst.getAndDecrement() > 0 ? 503 : status;
            if (code == 200) {
                bodies.add(new String(body, StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void flushReturnsOnlyAfterTheAlertSentJustBeforeWasDelivered() throws Exception {
        // flush right after send races the worker taking the alert off the queue: an alert taken but
        // not yet sent must still count as unfinished
        URI url = start(200);
        try (WebhookAlertSink sink = WebhookAlertSink.builder(url).build()) {
            for (int i = 1; i <= 300; i++) {
                sink.send(TestAlerts.bruteForce("u" + i, Instant.parse("2026-01-05T10:00:00Z")));
                assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(sink.delivered())
                        .as("delivered after flush of alert %d", i)
                        .isEqualTo(i);
            }
        }
    }

    @Test
    void webhookPostsAlertsAsJsonAndRetriesServerErrors() throws Exception {
        URI url = start(200);
        failFirst.set(2);
        try (WebhookAlertSink sink = WebhookAlertSink.builder(url)
                .source("marty-loganalysis")
                .initialBackoff(Duration.ofMillis(10))
                .maxRetries(3)
                .build()) {
            sink.send(TestAlerts.bruteForce("alice", Instant.parse("2026-01-05T10:00:00Z")));
            assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(sink.delivered()).isEqualTo(1);
            assertThat(sink.failed()).isZero();
        }
        assertThat(requests.get()).isEqualTo(3);
        JsonNode body = MAPPER.readTree(bodies.get(0));
        assertThat(body.get("source").asText()).isEqualTo("marty-loganalysis");
        JsonNode a = body.get("alerts").get(0);
        assertThat(a.get("rule").asText()).isEqualTo("brute_force_login");
        assertThat(a.get("severity").asText()).isEqualTo("critical");
        assertThat(a.get("key").get("user_id").asText()).isEqualTo("alice");
        assertThat(a.get("explanation").asText()).contains("12 failed logins");
        assertThat(a.get("fired_at").asText()).isEqualTo("2026-01-05T10:00:00Z");
    }

    @Test
    void webhookGivesUpAfterBoundedRetriesAndOnClientErrors() throws Exception {
        URI url = start(400);
        assertOneAlertFailsWithTwoRetries(url);
        assertThat(requests.get()).isEqualTo(1); // 400 is not retried
        requests.set(0);
        failFirst.set(100); // always 503
        assertOneAlertFailsWithTwoRetries(url);
        assertThat(requests.get()).isEqualTo(3); // first attempt + 2 retries
    }

    /** Sends one alert through a webhook sink allowed 2 retries and checks that it ends as failed. */
    private static void assertOneAlertFailsWithTwoRetries(URI url) throws InterruptedException {
        try (WebhookAlertSink sink = WebhookAlertSink.builder(url)
                .initialBackoff(Duration.ofMillis(5))
                .maxRetries(2)
                .build()) {
            sink.send(TestAlerts.bruteForce("bob", Instant.now()));
            assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(sink.failed()).isEqualTo(1);
        }
    }

    @Test
    void webhookToADeadPortFailsWithoutBlockingTheCaller() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (WebhookAlertSink sink = WebhookAlertSink.builder(URI.create("http://127.0.0.1:" + port + "/x"))
                .initialBackoff(Duration.ofMillis(5))
                .maxRetries(1)
                .queueCapacity(2)
                .build()) {
            for (int i = 0; i < 50; i++) {
                sink.send(TestAlerts.bruteForce("u" + i, Instant.now()));
            }
            assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(sink.dropped() + sink.failed()).isEqualTo(50);
            assertThat(sink.dropped()).isPositive();
        }
    }

    @Test
    void badSinkSettingsFailFast() {
        assertThatThrownBy(
                        () -> WebhookAlertSink.builder(URI.create("ftp://x/y")).build())
                .hasMessageContaining("ftp://x/y");
        assertThatThrownBy(
                        () -> WebhookAlertSink.builder(URI.create("http://x")).maxRetries(-1))
                .hasMessageContaining("maxRetries");
    }

    @Test
    void jsonLinesSinkWritesOneObjectPerLine() throws Exception {
        StringWriter w = new StringWriter();
        JsonLinesAlertSink sink = JsonLinesAlertSink.of(w);
        sink.send(TestAlerts.bruteForce("alice", Instant.parse("2026-01-05T10:00:00Z")));
        sink.send(TestAlerts.bruteForce("bob", Instant.parse("2026-01-05T10:01:00Z")));
        String[] lines = w.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(MAPPER.readTree(lines[1]).get("key").get("user_id").asText()).isEqualTo("bob");
        assertThat(MAPPER.readTree(lines[0]).get("window_seconds").asInt()).isEqualTo(300);
    }

    @Test
    void alertmanagerBodyHasValidLabelNamesAndAnEnd() {
        var body = AlertmanagerAlertSink.toPostableAlerts(
                List.of(TestAlerts.bruteForce("alice", Instant.parse("2026-01-05T10:00:00Z"))), null);
        assertThat(body).singleElement().satisfies(m -> {
            assertThat(m.get("startsAt")).isEqualTo("2026-01-05T10:00:00Z");
            assertThat(m.get("endsAt")).isEqualTo("2026-01-05T10:05:00Z");
            assertThat(m.get("labels").toString()).contains("alertname=brute_force_login");
        });
        Alert a = TestAlerts.bruteForce("alice", Instant.parse("2026-01-05T10:00:00Z"));
        Alert oddKeys = new Alert(
                a.rule(),
                a.type(),
                a.severity(),
                a.service(),
                java.util.Map.of("fields.http-path", "/x", "9x", "y"),
                a.value(),
                a.threshold(),
                a.window(),
                a.firedAtMillis(),
                a.cooldown(),
                a.summary(),
                a.explanation(),
                a.sample());
        @SuppressWarnings("unchecked")
        var labels = (java.util.Map<String, String>) AlertmanagerAlertSink.toPostableAlerts(List.of(oddKeys), null)
                .get(0)
                .get("labels");
        assertThat(labels).containsEntry("fields_http_path", "/x").containsEntry("_x", "y");
        assertThat(labels).containsEntry("source", "marty");
    }
}
