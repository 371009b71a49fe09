package io.marty.observability.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.examples.spring.inventory.InventoryApplication;
import io.marty.observability.examples.spring.orders.OrdersApplication;
import io.marty.observability.slo.SloTracker;
import io.marty.observability.testing.MartyTesting;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample on real embedded servers: orders (this context, random port) → RestClient →
 * inventory (a second Spring application, random port) → gRPC → pricing, with nothing but the
 * starter and application.yml doing the instrumentation.
 */
@SpringBootTest(
        classes = OrdersApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"orders.sweep-interval=PT0.2S", "marty.tracing.exporter=none"})
@ActiveProfiles("orders")
@Import(OrdersFlowTest.ObservationProbe.class)
@ExtendWith(OutputCaptureExtension.class)
class OrdersFlowTest {

    private static final HttpClient PLAIN = HttpClient.newHttpClient();
    private static ConfigurableApplicationContext inventory;

    @LocalServerPort
    int port;

    @Autowired
    MartyObservability observability;

    @Autowired
    MeterRegistry micrometer;

    @Autowired
    SloTracker slos;

    @Autowired
    ObservationRegistry observations;

    /** Sees every observation Spring starts, as Micrometer Tracing's span handler would. */
    @TestConfiguration
    static class ObservationProbe {
        static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

        @Bean
        ObservationHandler<Observation.Context> recordingHandler() {
            return new ObservationHandler<>() {
                @Override
                public void onStart(Observation.Context context) {
                    STARTED.add(context.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            };
        }
    }

    private final MartyTesting marty = SharedMarty.get();

    @DynamicPropertySource
    static void startInventory(DynamicPropertyRegistry registry) {
        SharedMarty.get();
        inventory = InventoryApplication.builder()
                .properties("server.port=0", "server.address=127.0.0.1", "marty.tracing.exporter=none")
                .run();
        String port = inventory.getEnvironment().getProperty("local.server.port");
        registry.add("inventory.url", () -> "http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopInventory() {
        if (inventory != null) {
            inventory.close();
        }
    }

    @BeforeEach
    void clean() {
        marty.reset();
    }

    @Test
    void oneTraceAndOneCorrelationIdFromControllerThroughRestClientAndSecondAppToGrpc(CapturedOutput output)
            throws Exception {
        assertThat(observability).isSameAs(marty.observability());
        Map<String, Double> before = requests();
        HttpResponse<String> response = get("/orders/42", "corr-orders-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"available\":7").contains("12.50");
        assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).hasValue("corr-orders-42");

        SpanData ordersServer = marty.awaitSpan(SpanKind.SERVER, "GET /orders/{id}");
        SpanData restClient = marty.awaitSpan(SpanKind.CLIENT, "GET /stock/{id}");
        SpanData inventoryServer = marty.awaitSpan(SpanKind.SERVER, "GET /stock/{id}");
        SpanData grpcClient = marty.awaitSpan(SpanKind.CLIENT, "pricing.Pricing/Quote");
        SpanData grpcServer = marty.awaitSpan(SpanKind.SERVER, "pricing.Pricing/Quote");
        String trace = ordersServer.getTraceId();
        assertThat(List.of(restClient, inventoryServer, grpcClient, grpcServer))
                .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(trace));
        assertThat(restClient.getParentSpanId()).isEqualTo(ordersServer.getSpanId());
        assertThat(inventoryServer.getParentSpanId()).isEqualTo(restClient.getSpanId());
        assertThat(grpcClient.getParentSpanId()).isEqualTo(inventoryServer.getSpanId());
        assertThat(grpcServer.getParentSpanId()).isEqualTo(grpcClient.getSpanId());

        assertThat(requestsSince(before))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "http server /orders/{id}", 1.0,
                        "http client /stock/{id}", 1.0,
                        "http server /stock/{id}", 1.0,
                        "grpc client pricing.Pricing/Quote", 1.0,
                        "grpc server pricing.Pricing/Quote", 1.0));

        // JSON log lines of both services and of the @Async task carry the caller's correlation id
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(line(output, "loading order 42"))
                    .contains("\"correlation_id\":\"corr-orders-42\"")
                    .contains("\"trace_id\":\"" + trace + "\"");
            assertThat(line(output, "stock of 42 read")).contains("\"correlation_id\":\"corr-orders-42\"");
            assertThat(line(output, "priced 42"))
                    .contains("\"correlation_id\":\"corr-orders-42\"")
                    .contains("\"trace_id\":\"" + trace + "\"");
            assertThat(line(output, "order 42 confirmed"))
                    .contains("\"correlation_id\":\"corr-orders-42\"")
                    .contains("\"trace_id\":\"" + trace + "\"")
                    .containsPattern("\"thread\":\"task-\\d+\"");
        });
    }

    @Test
    void scheduledRunsGetAContextOfTheirOwn(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(marty.spans().stream()
                                .filter(s -> s.getName().equals("task Confirmations.sweep"))
                                .map(SpanData::getTraceId)
                                .distinct())
                        .hasSizeGreaterThanOrEqualTo(2));
        SpanData sweep = marty.awaitSpan(SpanKind.INTERNAL, "task Confirmations.sweep");
        assertThat(sweep.getParentSpanContext().isValid()).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(line(output, "stale orders swept"))
                        .containsPattern("\"correlation_id\":\"[0-9a-f-]{36}\"")
                        .containsPattern("\"trace_id\":\"[0-9a-f]{32}\""));
    }

    @Test
    void martyOwnsRequestMetricsAndActuatorServesThemWithHealthBothWays() throws Exception {
        get("/orders/7", "corr-orders-7");
        marty.awaitSpan(SpanKind.SERVER, "GET /orders/{id}");

        // one owner: Spring's http.server.requests / http.client.requests observations record nothing
        assertThat(micrometer.find("http.server.requests").meters()).isEmpty();
        assertThat(micrometer.find("http.client.requests").meters()).isEmpty();
        // and no observation handler (Micrometer Tracing's makes the spans) saw an HTTP observation
        Observation.createNotStarted("probe.check", observations).observe(() -> {});
        assertThat(ObservationProbe.STARTED)
                .contains("probe.check") // the probe is wired to Spring's ObservationRegistry
                .doesNotContain("http.server.requests", "http.client.requests");
        String scrape = get("/actuator/prometheus", null).body();
        assertThat(scrape)
                .contains("mmf_requests_total{")
                .contains("route=\"/orders/{id}\"")
                .doesNotContain("http_server_requests");
        assertThat(scrape).contains("mmf_slo_");
        assertThat(slos.slos()).hasSize(2);
        // actuator paths are excluded from Marty's request metrics
        assertThat(marty.labelValues("mmf_requests_total", "route")).noneMatch(r -> r.startsWith("/actuator"));

        HttpResponse<String> readiness = get("/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"marty\"");
        assertThat(observability.health().names()).contains("liveness", "readiness", "spring.ping");
        assertThat(observability.health().check("readiness").status().name()).isEqualTo("UP");
    }

    /** mmf_requests_total by "protocol direction route" (counters are not reset between tests). */
    private Map<String, Double> requests() {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (String protocol : List.of("http", "grpc")) {
            for (String direction : List.of("server", "client")) {
                for (String route : marty.labelValues("mmf_requests_total", "route")) {
                    double n = marty.requests(Map.of("protocol", protocol, "direction", direction, "route", route));
                    if (n > 0) {
                        out.put(protocol + " " + direction + " " + route, n);
                    }
                }
            }
        }
        return out;
    }

    private Map<String, Double> requestsSince(Map<String, Double> before) {
        Map<String, Double> delta = new java.util.TreeMap<>();
        requests().forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d != 0 && !k.contains("/actuator")) {
                delta.put(k, d);
            }
        });
        return delta;
    }

    private HttpResponse<String> get(String path, String correlationId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (correlationId != null) {
            request.header("X-MMF-Correlation-ID", correlationId);
        }
        return PLAIN.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String line(CapturedOutput output, String message) {
        return output.getOut()
                .lines()
                .filter(l -> l.startsWith("{") && l.contains("\"message\":\"" + message))
                .findFirst()
                .orElse("");
    }
}
