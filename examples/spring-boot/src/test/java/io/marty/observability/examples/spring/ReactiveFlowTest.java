package io.marty.observability.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.marty.observability.examples.spring.reactive.ReactiveApplication;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** WebFlux on a real Netty server: the request context survives a delay, WebClient and publishOn. */
@SpringBootTest(
        classes = ReactiveApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive", "marty.tracing.exporter=none", "rates.url="})
@ActiveProfiles("reactive")
@ExtendWith(OutputCaptureExtension.class)
class ReactiveFlowTest {

    private final MartyTesting marty = SharedMarty.get();

    @LocalServerPort
    int port;

    @Test
    void webClientCallAndLogLineOnAnotherSchedulerKeepTheRequestContext(CapturedOutput output) throws Exception {
        marty.reset();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quotes/5"))
                                .header("X-MMF-Correlation-ID", "corr-quotes-5")
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("1.25");
        assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).hasValue("corr-quotes-5");

        SpanData quotes = marty.awaitSpan(SpanKind.SERVER, "GET /quotes/{id}");
        SpanData client = marty.awaitSpan(SpanKind.CLIENT, "GET /rates/{id}");
        SpanData rates = marty.awaitSpan(SpanKind.SERVER, "GET /rates/{id}");
        assertThat(client.getTraceId()).isEqualTo(quotes.getTraceId());
        assertThat(client.getParentSpanId()).isEqualTo(quotes.getSpanId());
        assertThat(rates.getParentSpanId()).isEqualTo(client.getSpanId());

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(output.getOut()
                                .lines()
                                .filter(l -> l.contains("\"message\":\"quote 5 priced\""))
                                .findFirst())
                        .hasValueSatisfying(line -> assertThat(line)
                                .contains("\"correlation_id\":\"corr-quotes-5\"")
                                .contains("\"trace_id\":\"" + quotes.getTraceId() + "\"")
                                .contains("\"thread\":\"boundedElastic-")));
    }
}
