package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.MetricNames;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scrapes the real /metrics server in all three formats and checks the text with the real promtool. */
class PrometheusExpositionIT {
    private static MartyObservability obs;
    private static String exemplarTraceId;
    private static String exemplarSpanId;
    private static final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("orders")
                .exporter("none")
                .spanExporter(InMemorySpanExporter.create())
                .prometheusRegistry(new PrometheusRegistry())
                .prometheusPort(0)
                .prometheusHost("127.0.0.1")
                .maxSeriesPerMetric(3)
                .build());
        var red = obs.metrics().red();
        Span span = obs.tracing().startSpan("GET /orders/{id}");
        exemplarTraceId = span.getSpanContext().getTraceId();
        exemplarSpanId = span.getSpanContext().getSpanId();
        try (Scope ignored = span.makeCurrent()) {
            red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}").end("200", Outcome.SUCCESS);
            red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}").end("500", Outcome.SERVER_ERROR);
            red.start(Protocol.GRPC, Direction.CLIENT, "pay.Payments/Charge", "pay.Payments/Charge")
                    .end("OK", Outcome.SUCCESS);
        } finally {
            span.end();
        }
        red.start(Protocol.HTTP, Direction.SERVER, "POST", "/orders"); // still active
        obs.metrics()
                .counter("orders_placed_total", "Orders placed.", "channel")
                .labels("web")
                .inc();
        obs.metrics()
                .timer("db_query_seconds", "Query time.", "query")
                .labels("find")
                .recordSeconds(0.02);
        obs.metrics().gauge("queue_depth", "Depth.", "queue").labels("a").set(3);
        var logins = obs.metrics().counter("logins_total", "Logins.", "user");
        for (String user : List.of("a", "b", "c", "d", "e")) {
            logins.labels(user).inc(); // d and e overflow into user="other"
        }
    }

    @AfterAll
    static void stop() {
        obs.close();
    }

    private static HttpResponse<byte[]> scrape(String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + obs.prometheusPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void textFormatPassesPromtool() throws Exception {
        HttpResponse<byte[]> r = scrape(null);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        promtoolCheck(r.body());
    }

    @Test
    void openMetricsHasExemplars() throws Exception {
        // promtool 2.x lints only the Prometheus text format, so OpenMetrics is checked here
        HttpResponse<byte[]> r = scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        String traceId = exemplarTraceId;
        assertThat(body)
                .contains("mmf_request_duration_seconds_bucket{")
                .contains("# {span_id=\"" + exemplarSpanId + "\",trace_id=\"" + traceId + "\"}")
                .contains("# TYPE mmf_requests counter")
                .endsWith("# EOF\n");
    }

    @Test
    void protobufFormatIsServed() throws Exception {
        HttpResponse<byte[]> r =
                scrape("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.google.protobuf");
        // native histogram schema/spans only exist in protobuf: the name must be in there
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).contains(MetricNames.REQUEST_DURATION_SECONDS);
    }

    @Test
    void everyNamedCoreMetricIsReallyEmitted() throws Exception {
        String body = new String(scrape(null).body(), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && !f.getName().startsWith("LABEL_")
                    && !f.getName().equals("PREFIX")
                    && !f.getName().equals("OVERFLOW_VALUE")) {
                names.add((String) f.get(null));
            }
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(9);
        for (String name : names) {
            assertThat(body).as(name).contains("# TYPE " + name + " ");
        }
        assertThat(body)
                .contains("mmf_active_requests{direction=\"server\",protocol=\"http\",service=\"orders\"} 1.0")
                .contains("mmf_logins_total{service=\"orders\",user=\"other\"} 2.0")
                .contains("mmf_metric_series_overflow_total{metric=\"mmf_logins_total\",service=\"orders\"} 2.0");
    }

    private static void promtoolCheck(byte[] exposition) throws Exception {
        File promtool = new File("/usr/bin/promtool");
        if (!promtool.canExecute()) {
            Assumptions.assumeTrue(System.getenv("CI") != null, "promtool not installed; skipped outside CI");
            throw new AssertionError("promtool is required on CI (install the 'prometheus' package)");
        }
        Path file = Files.createTempFile("metrics", ".txt");
        try {
            Files.write(file, exposition);
            Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics")
                    .redirectInput(file.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue())
                    .as("promtool check metrics said:%n%s", out)
                    .isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
