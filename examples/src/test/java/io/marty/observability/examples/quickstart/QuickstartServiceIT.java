package io.marty.observability.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.marty.observability.testing.MartyObservabilityExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How to test an instrumented service: marty-observability-testing gives each test its own instance. */
class QuickstartServiceIT {
    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("quickstart");

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private QuickstartService service;

    @BeforeEach
    void start() throws Exception {
        service = new QuickstartService(marty.observability(), 0);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void continuesTheCallersTraceAndCorrelation() throws Exception {
        HttpResponse<String> r = get(
                "/orders/42",
                "X-MMF-Correlation-ID",
                "corr-q-1",
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"id\":42,\"status\":\"shipped\"}");
        assertThat(r.headers().firstValue("X-MMF-Correlation-ID")).contains("corr-q-1");
        // the filter ends the server span after the response is written: wait for it
        await().atMost(Duration.ofSeconds(10)).until(() -> !marty.spans().isEmpty());
        SpanData span = marty.spans().get(0);
        assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo("corr-q-1");
    }

    @Test
    void generatesACorrelationIdAndCountsRequestsByRouteTemplate() throws Exception {
        HttpResponse<String> ok = get("/orders/1");
        assertThat(ok.headers().firstValue("X-MMF-Correlation-ID"))
                .get()
                .asString()
                .hasSize(36);
        assertThat(get("/orders/2").statusCode()).isEqualTo(200);
        assertThat(get("/orders/nope").statusCode()).isEqualTo(404);
        // RED metrics are recorded once the response is sent: poll /metrics until they are in
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(get("/metrics").body())
                        .contains(
                                "mmf_requests_total{direction=\"server\",method=\"GET\",outcome=\"success\",protocol=\"http\","
                                        + "route=\"/orders/{id}\",service=\"quickstart\",status=\"200\"} 2.0")
                        .contains(
                                "outcome=\"client_error\",protocol=\"http\",route=\"/orders/{id}\",service=\"quickstart\","
                                        + "status=\"404\"} 1.0")
                        .doesNotContain("route=\"/orders/1\""));
    }
}
