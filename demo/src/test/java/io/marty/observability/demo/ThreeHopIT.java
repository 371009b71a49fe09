package io.marty.observability.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Done-when test of issue 4: HTTP request → gateway (servlet) → gRPC → order service → HTTP →
 * payment service, all real servers on 127.0.0.1. One trace with correct parent links, one
 * correlation id in every span, log event and metric exemplar, a new request id per hop with the
 * parent kept, and the correlation id echoed to the caller.
 */
class ThreeHopIT {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";
    private static final AttributeKey<String> CORRELATION = AttributeKey.stringKey("mmf.correlation_id");
    private static final AttributeKey<String> REQUEST = AttributeKey.stringKey("mmf.request_id");
    private static final AttributeKey<String> PARENT_REQUEST = AttributeKey.stringKey("mmf.parent_request_id");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // capture the MDC on the thread that logged
            super.append(event);
        }
    };
    private MartyObservability marty;
    private DemoServices demo;

    @BeforeEach
    void start() throws Exception {
        marty = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("three-hop")
                .exporter("none")
                .spanExporter(spans)
                .prometheusRegistry(registry)
                .build());
        demo = DemoServices.start(marty);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        demo.close();
        marty.close();
    }

    private SpanData span(SpanKind kind, String name) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getKind() == kind && s.getName().equals(name))
                                .findFirst()
                                .orElse(null),
                        s -> s != null);
    }

    @Test
    void oneTraceOneCorrelationIdNewRequestIdPerHop() throws Exception {
        // set-up call (its own correlation): creates an order paid through gRPC
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(demo.gatewayUri().resolve("checkout"))
                        .header("X-MMF-Correlation-ID", "setup")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u1\",\"amountCents\":1250}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        String orderId = DemoSupport.field(created.body(), "orderId");
        // wait until the set-up request is fully finished (5 spans, 2 access events) before resetting
        await().atMost(Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().size() >= 5);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> copyLogs().stream()
                                .filter(e -> e.getLoggerName().equals("mmf.access"))
                                .count()
                        >= 2);
        spans.reset();
        synchronized (logs) {
            logs.list.clear();
        }

        String correlationId = "corr-three-hop-1";
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(demo.gatewayUri().resolve("orders/" + orderId))
                        .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                        .header("X-MMF-Correlation-ID", correlationId)
                        .header("X-MMF-Request-ID", "caller-request")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"paymentStatus\":\"CAPTURED\"");
        assertThat(response.headers().firstValue("X-MMF-Correlation-ID")).contains(correlationId);

        // hop 1: gateway servlet; hop 2: order service over gRPC; hop 3: payment service over HTTP
        SpanData gateway = span(SpanKind.SERVER, "GET /orders/{id}");
        SpanData grpcClient = span(SpanKind.CLIENT, "marty.demo.OrderService/GetOrder");
        SpanData grpcServer = span(SpanKind.SERVER, "marty.demo.OrderService/GetOrder");
        SpanData httpClient = span(SpanKind.CLIENT, "GET /payments/{id}");
        SpanData payment = span(SpanKind.SERVER, "GET /payments/{id}");
        List<SpanData> chain = List.of(gateway, grpcClient, grpcServer, httpClient, payment);

        assertThat(chain).extracting(SpanData::getTraceId).containsOnly(TRACE_ID);
        assertThat(gateway.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(grpcClient.getParentSpanId()).isEqualTo(gateway.getSpanId());
        assertThat(grpcServer.getParentSpanId()).isEqualTo(grpcClient.getSpanId());
        assertThat(httpClient.getParentSpanId()).isEqualTo(grpcServer.getSpanId());
        assertThat(payment.getParentSpanId()).isEqualTo(httpClient.getSpanId());
        assertThat(chain).extracting(s -> s.getAttributes().get(CORRELATION)).containsOnly(correlationId);

        String hop1 = gateway.getAttributes().get(REQUEST);
        String hop2 = grpcServer.getAttributes().get(REQUEST);
        String hop3 = payment.getAttributes().get(REQUEST);
        assertThat(Set.of(hop1, hop2, hop3, "caller-request")).hasSize(4);
        assertThat(response.headers().firstValue("X-MMF-Request-ID")).contains(hop1);
        assertThat(gateway.getAttributes().get(PARENT_REQUEST)).isEqualTo("caller-request");
        assertThat(grpcServer.getAttributes().get(PARENT_REQUEST)).isEqualTo(hop1);
        assertThat(payment.getAttributes().get(PARENT_REQUEST)).isEqualTo(hop2);
        assertThat(grpcClient.getAttributes().get(REQUEST))
                .as("client span of hop 1")
                .isEqualTo(hop1);
        assertThat(httpClient.getAttributes().get(REQUEST))
                .as("client span of hop 2")
                .isEqualTo(hop2);

        // log context: every event written during the request carries the correlation id and the
        // request id of the hop that wrote it
        Map<String, String> hopOfLogger = Map.of("demo.gateway", hop1, "demo.orders", hop2, "demo.payment", hop3);
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> copyLogs().stream()
                                .map(ILoggingEvent::getLoggerName)
                                .collect(Collectors.toSet()),
                        names -> names.containsAll(hopOfLogger.keySet()));
        List<ILoggingEvent> events = copyLogs();
        assertThat(events).isNotEmpty();
        for (ILoggingEvent event : events) {
            Map<String, String> mdc = event.getMDCPropertyMap();
            assertThat(mdc)
                    .as(event.getLoggerName() + ": " + event.getFormattedMessage())
                    .containsEntry("correlation_id", correlationId);
            String expected = hopOfLogger.get(event.getLoggerName());
            if (expected != null) {
                assertThat(mdc).containsEntry("request_id", expected);
            }
        }
        assertThat(events)
                .filteredOn(e -> e.getLoggerName().equals("mmf.access"))
                .hasSizeGreaterThanOrEqualTo(2);

        // metric context: the duration histograms of the three server hops hold exemplars of this trace
        for (String route : List.of("/orders/{id}", "marty.demo.OrderService/GetOrder", "/payments/{id}")) {
            assertThat(exemplarTraceIds(route)).as("exemplars of " + route).contains(TRACE_ID);
        }
    }

    private List<ILoggingEvent> copyLogs() {
        synchronized (logs) {
            return new ArrayList<>(logs.list);
        }
    }

    private Set<String> exemplarTraceIds(String route) {
        Set<String> traceIds = new java.util.HashSet<>();
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (!snapshot.getMetadata().getName().equals("mmf_request_duration_seconds")) {
                continue;
            }
            for (HistogramSnapshot.HistogramDataPointSnapshot point : ((HistogramSnapshot) snapshot).getDataPoints()) {
                if (route.equals(point.getLabels().get("route"))
                        && "server".equals(point.getLabels().get("direction"))) {
                    for (Exemplar exemplar : point.getExemplars()) {
                        traceIds.add(exemplar.getLabels().get("trace_id"));
                    }
                }
            }
        }
        return traceIds;
    }
}
