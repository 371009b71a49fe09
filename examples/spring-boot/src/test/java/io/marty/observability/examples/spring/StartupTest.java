package io.marty.observability.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.marty.observability.examples.spring.orders.OrdersApplication;
import io.marty.observability.testing.MartyTesting;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting the sample with bad or disabled Marty settings. */
@ExtendWith(OutputCaptureExtension.class)
class StartupTest {

    private static final String[] BASE = {
        "--server.port=0",
        "--server.address=127.0.0.1",
        "--inventory.url=http://127.0.0.1:9",
        "--marty.tracing.exporter=none"
    };

    @Test
    void invalidPropertyStopsStartupWithTheFailureAnalyzersReport(CapturedOutput output) {
        SharedMarty.get();
        assertThatThrownBy(() -> OrdersApplication.builder().run(args("--marty.tracing.sampling-ratio=1.5")))
                .hasStackTraceContaining("sampleRate");
        // Boot logs the report through Logback's async appender
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(output.getAll())
                        .contains("APPLICATION FAILED TO START")
                        .contains("property 'marty.tracing.sampling-ratio' has the invalid value '1.5'")
                        .contains("Correct 'marty.tracing.sampling-ratio'"));
    }

    @Test
    void disabledRegistersNothingAndLeavesRequestsAlone() throws Exception {
        SharedMarty.get();
        try (ConfigurableApplicationContext context = OrdersApplication.builder()
                .run(args(
                        "--marty.enabled=false",
                        // application.yml puts Marty's contributor in the readiness group
                        "--management.endpoint.health.group.readiness.include=readinessState"))) {
            assertThat(Arrays.stream(context.getBeanDefinitionNames())
                            .filter(name -> name.toLowerCase(Locale.ROOT).contains("marty")))
                    .isEmpty();
            // with Marty on, its filter answers even a 404 with the correlation id header
            HttpResponse<String> response = get(context, "/nothing-here");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).isEmpty();
        }
    }

    @Test
    void micrometerOwnerLeavesRequestMetricsToMicrometer() throws Exception {
        MartyTesting marty = SharedMarty.get();
        try (ConfigurableApplicationContext context =
                OrdersApplication.builder().run(args("--marty.http.owner=micrometer"))) {
            double before = marty.requests(Map.of("route", "/orders/{id}/status"));
            HttpResponse<String> response = get(context, "/orders/3/status");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).isEmpty();
            MeterRegistry micrometer = context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(micrometer
                                    .find("http.server.requests")
                                    .tag("uri", "/orders/{id}/status")
                                    .timers())
                            .isNotEmpty());
            assertThat(marty.requests(Map.of("route", "/orders/{id}/status"))).isEqualTo(before);
        }
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String[] args(String... extra) {
        String[] all = Arrays.copyOf(BASE, BASE.length + extra.length);
        System.arraycopy(extra, 0, all, BASE.length, extra.length);
        return all;
    }
}
