package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.metrics.Scrapes;
import io.marty.observability.core.tracing.CorrelationAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MartyObservabilityTest {
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private MartyObservability obs;

    private ObservabilityConfig.Builder config() {
        return withDefaultSampling().sampleRate(1.0); // "testing" samples 0.1 by default
    }

    private ObservabilityConfig.Builder withDefaultSampling() {
        return ObservabilityConfig.builder()
                .serviceName("orders")
                .serviceVersion("1.2.3")
                .environment("testing")
                .exporter("none")
                .spanExporter(spans)
                .prometheusRegistry(registry);
    }

    @AfterEach
    void close() {
        if (obs != null) {
            obs.close();
        }
        MartyObservability.current().ifPresent(MartyObservability::close);
    }

    @Test
    void startExposesEverythingAndCurrent() {
        obs = MartyObservability.start(config().build());
        assertThat(MartyObservability.current()).containsSame(obs);
        assertThat(obs.config().serviceName()).isEqualTo("orders");
        assertThat(obs.metrics().registry()).isSameAs(registry);
        assertThat(obs.health()).isNotNull();
        assertThat(obs.prometheusPort()).isEqualTo(-1);
        assertThat(Scrapes.text(registry)).contains("mmf_service_build_info");
    }

    @Test
    void startingTwiceFailsClearlyAndCloseAllowsRestart() {
        obs = MartyObservability.start(config().build());
        assertThatThrownBy(() -> MartyObservability.start(config().build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started for service 'orders'")
                .hasMessageContaining("close()");
        obs.close();
        obs.close(); // idempotent
        assertThat(obs.isClosed()).isTrue();
        assertThat(MartyObservability.current()).isEmpty();
        assertThat(registry.scrape().size()).isZero();
        obs = MartyObservability.start(config().build());
        assertThat(MartyObservability.current()).containsSame(obs);
    }

    @Test
    void spansCarryResourceAndCorrelationAttributes() {
        obs = MartyObservability.start(config().resourceAttribute("team", "pay").build());
        Tracer tracer = obs.openTelemetry().getTracer("test");
        CorrelationContext c =
                CorrelationContext.newRoot().toBuilder().userId("u-7").build();
        try (Scope ignored = c.makeCurrent()) {
            tracer.spanBuilder("work").startSpan().end();
        }
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getAttributes().get(CorrelationAttributes.CORRELATION_ID))
                .isEqualTo(c.correlationId());
        assertThat(span.getAttributes().get(CorrelationAttributes.REQUEST_ID)).isEqualTo(c.requestId());
        assertThat(span.getAttributes().get(CorrelationAttributes.USER_ID)).isEqualTo("u-7");
        var res = span.getResource().getAttributes().asMap();
        assertThat(res.toString())
                .contains("service.name=orders")
                .contains("service.version=1.2.3")
                .contains("deployment.environment.name=testing")
                .contains("team=pay")
                .contains("service.instance.id=" + obs.config().serviceInstanceId());
    }

    @Test
    void sampleRateIsReallyApplied() {
        obs = MartyObservability.start(config().sampleRate(0.0).build());
        Tracer tracer = obs.openTelemetry().getTracer("test");
        for (int i = 0; i < 50; i++) {
            tracer.spanBuilder("root").startSpan().end();
        }
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        obs.close();

        obs = MartyObservability.start(
                withDefaultSampling().environment("staging").build()); // 0.3 by default
        tracer = obs.openTelemetry().getTracer("test");
        for (int i = 0; i < 1000; i++) {
            tracer.spanBuilder("root").startSpan().end();
        }
        // trace-id-ratio sampling of 1000 random traces at 0.3 (sd 14.5): outside 200..400 is practically impossible
        assertThat(spans.getFinishedSpanItems()).hasSizeBetween(200, 400);
        obs.close();

        spans.reset();
        obs = MartyObservability.start(withDefaultSampling().build()); // "testing": 0.1
        tracer = obs.openTelemetry().getTracer("test");
        for (int i = 0; i < 1000; i++) {
            tracer.spanBuilder("root").startSpan().end();
        }
        assertThat(spans.getFinishedSpanItems()).hasSizeBetween(30, 170);
    }

    @Test
    void samplingFollowsTheParent() {
        obs = MartyObservability.start(config().sampleRate(0.0).build());
        Tracer tracer = obs.openTelemetry().getTracer("test");
        SpanContext sampledParent = SpanContext.createFromRemoteParent(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        tracer.spanBuilder("child")
                .setParent(Context.root().with(Span.wrap(sampledParent)))
                .startSpan()
                .end();
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(s -> {
            assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        });
        obs.close();
        spans.reset();

        obs = MartyObservability.start(config().sampleRate(1.0).build());
        SpanContext unsampledParent = SpanContext.createFromRemoteParent(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getDefault(),
                TraceState.getDefault());
        obs.openTelemetry()
                .getTracer("test")
                .spanBuilder("child")
                .setParent(Context.root().with(Span.wrap(unsampledParent)))
                .startSpan()
                .end();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void tracingDisabledRecordsNothing() {
        obs = MartyObservability.start(config().tracingEnabled(false).build());
        obs.openTelemetry().getTracer("t").spanBuilder("x").startSpan().end();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void prometheusServerOnEphemeralPortServesMetrics() throws Exception {
        obs = MartyObservability.start(
                config().prometheusPort(0).prometheusHost("127.0.0.1").build());
        assertThat(obs.prometheusPort()).isPositive();
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + obs.prometheusPort() + "/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("mmf_service_build_info");
        int port = obs.prometheusPort();
        obs.close();
        // the port is released by close()
        assertThatThrownBy(() -> client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void busyPrometheusPortFailsNamingTheKey() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MartyObservability.start(config().prometheusPort(taken.getLocalPort())
                            .prometheusHost("127.0.0.1")
                            .build()))
                    .isInstanceOf(ObservabilityConfigException.class)
                    .hasMessageContaining("prometheusPort='" + taken.getLocalPort() + "'");
        }
        assertThat(MartyObservability.current()).isEmpty();
        assertThat(registry.scrape().size()).isZero();
    }

    @Test
    void closeIsBoundedWhenTheBackendIsDead() {
        // OTLP to a closed port: close() must still return within the shutdown timeout (+ slack)
        obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("orders")
                .exporter("otlp")
                .otlpEndpoint("http://127.0.0.1:9")
                .otlpTimeout(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ofMillis(500))
                .prometheusRegistry(registry)
                .build());
        obs.openTelemetry().getTracer("t").spanBuilder("x").startSpan().end();
        long start = System.nanoTime();
        obs.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
