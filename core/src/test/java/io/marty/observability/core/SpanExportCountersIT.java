package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.internal.BatchExportMetrics;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real OTLP/HTTP exporter against a black-holed, a refused and a healthy endpoint: exported and
 * dropped spans are counted in the Prometheus registry, the drop warning is rate-limited, and
 * ending spans never blocks the caller (the tests would hit their {@link Timeout} otherwise).
 */
class SpanExportCountersIT {
    private static final int QUEUE = 8;
    private static final int BATCH = 4;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger metricsLogger = Logger.getLogger(BatchExportMetrics.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureWarnings() {
        metricsLogger.addHandler(handler);
    }

    @AfterEach
    void cleanUp() {
        MartyObservability.current().ifPresent(MartyObservability::close);
        metricsLogger.removeHandler(handler);
    }

    @Test
    @Timeout(60)
    void blackHoledEndpointDropsAndCountsWithoutBlocking() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackHole.accept()); // accept, never read, never answer
                    }
                } catch (IOException closed) {
                    // server socket closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            MartyObservability obs = start("http://127.0.0.1:" + blackHole.getLocalPort());
            Tracer tracer = obs.openTelemetry().getTracer("test");

            tracer.spanBuilder("first").startSpan().end();
            // the export thread is now stuck in a request the endpoint never answers
            await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
            int ended = 1000;
            for (int i = 0; i < ended; i++) {
                tracer.spanBuilder("request-" + i).startSpan().end();
            }
            // at most the queue plus one batch per finished (timed-out) export get through
            assertThat(dropped(BatchExportMetrics.REASON_QUEUE_FULL))
                    .isGreaterThanOrEqualTo(ended - 4.0 * (QUEUE + BATCH));
            await().atMost(Duration.ofSeconds(20)).until(() -> dropped(BatchExportMetrics.REASON_EXPORT_FAILED) >= 1);
            assertThat(exported()).isZero();
            assertThat(warnings)
                    .as("first drop is logged, the rest within the minute is only counted")
                    .hasSize(1);
            assertThat(warnings.get(0).getMessage()).contains("Dropped {0} {1}");
            assertThat(warnings.get(0).getParameters()[1]).isEqualTo("spans");
            obs.close();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void refusedEndpointCountsEveryFailedSpan() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: connections to it are refused
        }
        MartyObservability obs = start("http://127.0.0.1:" + port);
        Tracer tracer = obs.openTelemetry().getTracer("test");
        int ended = 2000;
        for (int i = 0; i < ended; i++) {
            tracer.spanBuilder("request-" + i).startSpan().end();
        }
        double queueFull = dropped(BatchExportMetrics.REASON_QUEUE_FULL);
        assertThat(queueFull).isGreaterThan(0);
        // every span is accounted for: dropped at the queue or failed at export, none exported
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        dropped(BatchExportMetrics.REASON_QUEUE_FULL) + dropped(BatchExportMetrics.REASON_EXPORT_FAILED)
                                == ended);
        assertThat(exported()).isZero();
        assertThat(warnings).isNotEmpty();
        obs.close();
    }

    @Test
    @Timeout(60)
    void logRecordsToRefusedEndpointAreCountedToo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        MartyObservability obs = MartyObservability.start(config("http://127.0.0.1:" + port)
                .logExportQueueSize(QUEUE)
                .logExportBatchSize(BATCH)
                .logExportScheduleDelay(Duration.ofMillis(20))
                .logExportTimeout(Duration.ofSeconds(2))
                .build());
        var logger = obs.openTelemetry().getLogsBridge().get("test");
        int emitted = 500;
        for (int i = 0; i < emitted; i++) {
            logger.logRecordBuilder().setBody("line " + i).emit();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> value("mmf_log_records_dropped", BatchExportMetrics.REASON_QUEUE_FULL)
                                + value("mmf_log_records_dropped", BatchExportMetrics.REASON_EXPORT_FAILED)
                        == emitted);
        assertThat(value("mmf_log_records_dropped", BatchExportMetrics.REASON_QUEUE_FULL))
                .isGreaterThan(0);
        assertThat(value("mmf_log_records_exported", null)).isZero();
        assertThat(dropped(BatchExportMetrics.REASON_QUEUE_FULL))
                .as("no spans involved")
                .isZero();
        assertThat(warnings).isNotEmpty();
        assertThat(warnings.get(0).getParameters()[1]).isEqualTo("log records");
        obs.close();
    }

    @Test
    @Timeout(60)
    void healthyEndpointExportedCounterEqualsSpansReceived() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                request.getResourceSpansList()
                        .forEach(rs -> rs.getScopeSpansList().forEach(ss -> received.addAndGet(ss.getSpansCount())));
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, 0);
            ex.close();
        });
        receiver.start();
        try {
            MartyObservability obs = MartyObservability.start(
                    config("http://127.0.0.1:" + receiver.getAddress().getPort())
                            .spanExportQueueSize(2048) // room for all: nothing may be dropped
                            .build());
            Tracer tracer = obs.openTelemetry().getTracer("test");
            int ended = 300;
            for (int i = 0; i < ended; i++) {
                tracer.spanBuilder("request-" + i).startSpan().end();
            }
            assertThat(((OpenTelemetrySdk) obs.openTelemetry())
                            .getSdkTracerProvider()
                            .forceFlush()
                            .join(20, TimeUnit.SECONDS)
                            .isSuccess())
                    .isTrue();
            assertThat(received.get()).isEqualTo(ended);
            // The SDK counts a batch as exported in the export's completion callback, which may run just
            // after forceFlush() has completed (seen on a loaded machine: 296 of 300 at that instant).
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(exported()).isEqualTo(ended));
            assertThat(dropped(BatchExportMetrics.REASON_QUEUE_FULL)).isZero();
            assertThat(dropped(BatchExportMetrics.REASON_EXPORT_FAILED)).isZero();
            assertThat(warnings).isEmpty();
            obs.close();
            assertThat(registry.scrape().size())
                    .as("close() unregisters the counters")
                    .isZero();
        } finally {
            receiver.stop(0);
        }
    }

    private ObservabilityConfig.Builder config(String endpoint) {
        return ObservabilityConfig.builder()
                .serviceName("orders")
                .environment("testing")
                .sampleRate(1.0) // "testing" samples 0.1 by default
                .exporter("otlp")
                .otlpEndpoint(endpoint)
                .otlpTimeout(Duration.ofMillis(500))
                .spanExportQueueSize(QUEUE)
                .spanExportBatchSize(BATCH)
                .spanExportScheduleDelay(Duration.ofMillis(20))
                .spanExportTimeout(Duration.ofSeconds(2))
                .shutdownTimeout(Duration.ofSeconds(5))
                .prometheusRegistry(registry);
    }

    private MartyObservability start(String endpoint) {
        return MartyObservability.start(config(endpoint).build());
    }

    private double dropped(String reason) {
        return value("mmf_spans_dropped", reason);
    }

    private double exported() {
        return value("mmf_spans_exported", null);
    }

    private double value(String name, String reason) {
        double total = 0;
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (!snapshot.getMetadata().getName().equals(name)) {
                continue;
            }
            for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) snapshot).getDataPoints()) {
                assertThat(p.getLabels().get("service")).isEqualTo("orders");
                if (reason == null || reason.equals(p.getLabels().get(BatchExportMetrics.LABEL_REASON))) {
                    total += p.getValue();
                }
            }
        }
        return total;
    }
}
