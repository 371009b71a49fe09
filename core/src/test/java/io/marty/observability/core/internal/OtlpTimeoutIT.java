package io.marty.observability.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.ObservabilityConfig;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code OTEL_EXPORTER_OTLP_TRACES_TIMEOUT} bounds the real exporter's request to a slow receiver. */
class OtlpTimeoutIT {
    private static final long RECEIVER_DELAY_MS = 1500;
    private HttpServer receiver;
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    @BeforeEach
    void startSlowReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(handlers); // a slow request must not hold up the next
        receiver.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
                Thread.sleep(RECEIVER_DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        handlers.shutdownNow();
    }

    private CompletableResultCode exportOneSpan(String timeoutMs) {
        ObservabilityConfig config = ObservabilityConfig.fromEnvironment(Map.of(
                "OTEL_SERVICE_NAME",
                "s",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
                timeoutMs));
        SpanExporter exporter = SdkFactory.spanExporter(config);
        long now = System.nanoTime();
        CompletableResultCode result = exporter.export(List.of(TestSpanData.builder()
                .setName("slow")
                .setKind(SpanKind.INTERNAL)
                .setSpanContext(SpanContext.create(
                        "0af7651916cd43dd8448eb211c80319c",
                        "b7ad6b7169203331",
                        TraceFlags.getSampled(),
                        TraceState.getDefault()))
                .setStartEpochNanos(now)
                .setEndEpochNanos(now + 1000)
                .setStatus(StatusData.unset())
                .setHasEnded(true)
                .setTotalRecordedEvents(0)
                .setTotalRecordedLinks(0)
                .build()));
        result.join(30, TimeUnit.SECONDS);
        exporter.shutdown().join(5, TimeUnit.SECONDS);
        return result;
    }

    @Test
    void aShortSignalTimeoutFailsTheExportALongOneWaits() {
        // the receiver answers after 1.5 s: 200 ms fails (also on the exporter's retries), 10 s succeeds
        CompletableResultCode tooShort = exportOneSpan("200");
        assertThat(tooShort.isDone()).isTrue();
        assertThat(tooShort.isSuccess()).isFalse();

        CompletableResultCode longEnough = exportOneSpan("10000");
        assertThat(longEnough.isSuccess()).isTrue();
    }
}
