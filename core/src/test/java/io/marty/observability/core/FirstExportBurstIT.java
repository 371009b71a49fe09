package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A burst of spans soon after {@code start} reaches a real OTLP/HTTP receiver in full. The OTLP
 * exporter is built, and its connection opened, on a background thread two seconds after {@code
 * start}; built on the batch processor's thread at its first export instead, the queue filled while
 * the HTTP client was created and connected, and this burst lost ~40 % of its spans (run alone:
 * in a JVM that already created a JDK {@code HttpClient}, building one is much cheaper).
 */
class FirstExportBurstIT {
    private final AtomicLong received = new AtomicLong();
    private HttpServer receiver;
    private ExecutorService receiverThreads;

    @BeforeEach
    void startReceiver() throws IOException {
        receiverThreads = Executors.newFixedThreadPool(2);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/v1/traces", this::receive);
        receiver.start();
        warmUpReceiver();
    }

    /** One empty OTLP request over a raw socket: a collector is warm, the test's receiver starts cold. */
    private void warmUpReceiver() throws IOException {
        try (Socket s = new Socket(
                InetAddress.getLoopbackAddress(), receiver.getAddress().getPort())) {
            s.getOutputStream()
                    .write(("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/x-protobuf\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        }
    }

    private void receive(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
            for (ResourceSpans rs : request.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    received.addAndGet(ss.getSpansCount());
                }
            }
        }
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    @AfterEach
    void stopReceiver() throws InterruptedException {
        MartyObservability.current().ifPresent(MartyObservability::close);
        receiver.stop(0);
        receiverThreads.shutdownNow();
        receiverThreads.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** 20k spans ended evenly within 500 ms (40k/s), 3 s after start, at the default queue and batch. */
    @Test
    @Timeout(60)
    void everySpanOfABurstSoonAfterStartIsExported() throws Exception {
        int spans = 20_000;
        int millis = 500;
        int queue = ObservabilityConfig.DEFAULT_SPAN_EXPORT_QUEUE_SIZE;
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("burst")
                .environment("production")
                .sampleRate(1.0)
                .exporter("otlp")
                .otlpProtocol("http/protobuf")
                .otlpEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort())
                .spanExportQueueSize(queue)
                .shutdownTimeout(Duration.ofSeconds(30))
                .prometheusRegistry(new PrometheusRegistry())
                .build());
        Tracer tracer = obs.openTelemetry().getTracer("burst");
        Thread.sleep(3000); // the rest of the service's startup, until its traffic builds up

        int slices = 20;
        long begin = System.nanoTime();
        for (int slice = 0; slice < slices; slice++) {
            for (int i = 0; i < spans / slices; i++) {
                tracer.spanBuilder("op").startSpan().end();
            }
            long wait = begin + TimeUnit.MILLISECONDS.toNanos((long) millis * (slice + 1) / slices) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        obs.close(); // flushes what is queued

        assertThat(received.get())
                .as("spans received of %d ended within %d ms (queue %d)", spans, burstMillis, queue)
                .isEqualTo(spans);
    }
}
