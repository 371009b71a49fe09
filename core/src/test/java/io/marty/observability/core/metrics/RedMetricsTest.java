package io.marty.observability.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.failure.InstrumentationLog;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MartyMetrics metrics = MartyMetrics.builder()
            .serviceName("orders")
            .serviceVersion("2.1.0")
            .environment("testing")
            .registry(registry)
            .maxSeriesPerMetric(3)
            .build();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void countsRequestsWithDesignLabels() {
        RedMetrics red = metrics.red();
        red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}").end("200", Outcome.SUCCESS);
        red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}").end("200", Outcome.SUCCESS);
        red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}").end("404", Outcome.CLIENT_ERROR);
        red.start(Protocol.GRPC, Direction.CLIENT, "pay.Payments/Charge", "pay.Payments/Charge")
                .end("UNAVAILABLE", Outcome.SERVER_ERROR, "StatusRuntimeException");

        String text = Scrapes.text(registry);
        assertThat(text)
                .contains("mmf_requests_total{direction=\"server\",method=\"GET\",outcome=\"success\","
                        + "protocol=\"http\",route=\"/orders/{id}\",service=\"orders\",status=\"200\"} 2.0")
                .contains("outcome=\"client_error\",protocol=\"http\",route=\"/orders/{id}\",service=\"orders\","
                        + "status=\"404\"} 1.0")
                .contains("mmf_errors_total{direction=\"client\",error_type=\"StatusRuntimeException\","
                        + "method=\"pay.Payments/Charge\",protocol=\"grpc\",route=\"pay.Payments/Charge\","
                        + "service=\"orders\"} 1.0")
                .contains("mmf_request_duration_seconds_bucket{direction=\"server\",method=\"GET\",outcome=\"success\","
                        + "protocol=\"http\",route=\"/orders/{id}\",service=\"orders\",le=\"0.005\"}")
                .contains("le=\"10.0\"")
                .contains("mmf_request_duration_seconds_count{direction=\"server\",method=\"GET\","
                        + "outcome=\"success\",protocol=\"http\",route=\"/orders/{id}\",service=\"orders\"} 2")
                .contains("mmf_service_build_info{environment=\"testing\",service=\"orders\",version=\"2.1.0\"} 1");
        // 404 is not an error of the service; no errors_total series for the server route
        assertThat(text).doesNotContain("mmf_errors_total{direction=\"server\"");
    }

    @Test
    void activeRequestsGoUpAndDown() {
        RequestTimer t = metrics.red().start(Protocol.HTTP, Direction.SERVER, "POST", "/orders");
        assertThat(Scrapes.text(registry))
                .contains("mmf_active_requests{direction=\"server\",protocol=\"http\",service=\"orders\"} 1.0");
        t.end("201", Outcome.SUCCESS);
        t.end("500", Outcome.SERVER_ERROR); // second end is ignored
        String text = Scrapes.text(registry);
        assertThat(text)
                .contains("mmf_active_requests{direction=\"server\",protocol=\"http\",service=\"orders\"} 0.0")
                .contains("status=\"201\"} 1.0")
                .doesNotContain("status=\"500\"");
    }

    @Test
    void sampledSpanBecomesExemplar() {
        SpanContext sc = SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        try (Scope ignored = Context.root().with(Span.wrap(sc)).makeCurrent()) {
            metrics.red().start(Protocol.HTTP, Direction.SERVER, "GET", "/x").end("200", Outcome.SUCCESS);
        }
        assertThat(Scrapes.openMetrics(registry))
                .contains("# {span_id=\"b7ad6b7169203331\",trace_id=\"0af7651916cd43dd8448eb211c80319c\"}");
    }

    @Test
    void listenersSeeCompletedRequestsAndCannotBreakRecording() {
        List<CompletedRequest> seen = new CopyOnWriteArrayList<>();
        metrics.red().addListener(r -> {
            throw new IllegalStateException("boom");
        });
        metrics.red().addListener(seen::add);
        metrics.red().start(Protocol.HTTP, Direction.SERVER, "GET", "/a").end("503", Outcome.SERVER_ERROR);
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.service()).isEqualTo("orders");
            assertThat(r.protocol()).isEqualTo(Protocol.HTTP);
            assertThat(r.direction()).isEqualTo(Direction.SERVER);
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.route()).isEqualTo("/a");
            assertThat(r.status()).isEqualTo("503");
            assertThat(r.outcome()).isEqualTo(Outcome.SERVER_ERROR);
            assertThat(r.durationSeconds()).isGreaterThanOrEqualTo(0);
            assertThat(r.epochMillis()).isPositive();
        });
        assertThat(Scrapes.text(registry))
                .contains("mmf_instrumentation_errors_total{component=\"request_listener\",service=\"orders\"} 1.0")
                .contains("mmf_instrumentation_errors_total{component=\"red_metrics\",service=\"orders\"} 0.0");
    }

    @Test
    void aListenerThrowingOnEveryRequestIsCountedAndLoggedThrottled() {
        metrics.red().addListener(r -> {
            throw new IllegalStateException("listener bug");
        });
        try (InstrumentationLog log = new InstrumentationLog()) {
            for (int i = 0; i < 20; i++) {
                RequestTimer t = metrics.red().start(Protocol.GRPC, Direction.SERVER, "a.B/C", "a.B/C");
                t.end("OK", Outcome.SUCCESS);
            }
            assertThat(log.mentioning("request_listener"))
                    .hasSize(InstrumentationErrors.LOGS_PER_MINUTE + 1)
                    .first()
                    .satisfies(r -> assertThat(r.getThrown()).hasMessage("listener bug"));
        }
        assertThat(metrics.instrumentationErrors().count(InstrumentationErrors.REQUEST_LISTENER))
                .isEqualTo(20);
        assertThat(Scrapes.text(registry))
                .contains("mmf_requests_total{direction=\"server\",method=\"a.B/C\",outcome=\"success\","
                        + "protocol=\"grpc\",route=\"a.B/C\",service=\"orders\",status=\"OK\"} 20.0")
                .contains("mmf_instrumentation_errors_total{component=\"request_listener\",service=\"orders\"} 20.0");
    }

    @Test
    void tooManyRoutesGoToOtherAndAreCounted() {
        for (int i = 0; i < 5; i++) {
            metrics.red()
                    .start(Protocol.HTTP, Direction.SERVER, "GET", "/raw/" + i)
                    .end("200", Outcome.SUCCESS);
        }
        String text = Scrapes.text(registry);
        assertThat(text).contains("route=\"/raw/2\"").doesNotContain("route=\"/raw/3\"");
        assertThat(text)
                .contains("method=\"other\",outcome=\"success\",protocol=\"http\",route=\"other\",service=\"orders\","
                        + "status=\"200\"} 2.0")
                .contains("mmf_metric_series_overflow_total{metric=\"mmf_requests_total\",service=\"orders\"} 2.0");
    }

    @Test
    void coverageRatioCountsRequestsWithCorrelationId() {
        metrics.red().start(Protocol.HTTP, Direction.SERVER, "GET", "/a").end("200", Outcome.SUCCESS);
        try (Scope ignored = CorrelationContext.newRoot().makeCurrent()) {
            metrics.red().start(Protocol.HTTP, Direction.SERVER, "GET", "/a").end("200", Outcome.SUCCESS);
            metrics.red().start(Protocol.HTTP, Direction.SERVER, "GET", "/a").end("200", Outcome.SUCCESS);
            metrics.red().start(Protocol.HTTP, Direction.SERVER, "GET", "/a").end("200", Outcome.SUCCESS);
        }
        assertThat(metrics.red().correlationCoverage()).isEqualTo(0.75);
        assertThat(Scrapes.text(registry)).contains("mmf_correlation_coverage_ratio{service=\"orders\"} 0.75");
    }

    @Test
    void outcomeOfHttpStatus() {
        assertThat(Outcome.ofHttpStatus(200)).isEqualTo(Outcome.SUCCESS);
        assertThat(Outcome.ofHttpStatus(302)).isEqualTo(Outcome.SUCCESS);
        assertThat(Outcome.ofHttpStatus(404)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(Outcome.ofHttpStatus(500)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(Outcome.ofHttpStatus(0)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(Outcome.CLIENT_ERROR.labelValue()).isEqualTo("client_error");
    }

    @Test
    void disabledMetricsRecordNothing() {
        PrometheusRegistry r = new PrometheusRegistry();
        MartyMetrics off = MartyMetrics.builder()
                .serviceName("x")
                .registry(r)
                .enabled(false)
                .build();
        off.red().start(Protocol.HTTP, Direction.SERVER, "GET", "/").end("200", Outcome.SUCCESS);
        off.counter("c_total", "c").inc();
        assertThat(r.scrape().size()).isZero();
    }
}
