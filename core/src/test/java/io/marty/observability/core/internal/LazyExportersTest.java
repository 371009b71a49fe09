package io.marty.observability.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyExportersTest {

    @Test
    void exporterIsBuiltOnFirstExportOnlyOnce() {
        AtomicInteger built = new AtomicInteger();
        InMemorySpanExporter real = InMemorySpanExporter.create();
        SpanExporter lazy = LazyExporters.spans(() -> {
            built.incrementAndGet();
            return real;
        });
        assertThat(built).hasValue(0);
        assertThat(lazy.flush().isSuccess()).isTrue();
        assertThat(built).as("flush of a never-used exporter builds nothing").hasValue(0);
        assertThat(lazy.toString()).contains("not created yet");

        assertThat(lazy.export(List.of()).isSuccess()).isTrue();
        assertThat(lazy.export(List.of()).isSuccess()).isTrue();
        assertThat(built).hasValue(1);

        assertThat(lazy.shutdown().isSuccess()).isTrue();
        assertThat(real.export(List.of())).isEqualTo(CompletableResultCode.ofFailure());
    }

    @Test
    void neverBuiltAfterShutdownAndFailingBuildsFailTheExport() {
        AtomicInteger built = new AtomicInteger();
        SpanExporter lazy = LazyExporters.spans(() -> {
            built.incrementAndGet();
            return InMemorySpanExporter.create();
        });
        assertThat(lazy.shutdown().isSuccess()).isTrue();
        assertThat(lazy.export(List.of()).isSuccess()).isFalse();
        assertThat(built).hasValue(0);

        SpanExporter broken = LazyExporters.spans(() -> {
            throw new IllegalStateException("no sender");
        });
        CompletableResultCode result = broken.export(List.of());
        assertThat(result.isSuccess()).isFalse();
    }

    @Test
    void buildInBackgroundBuildsOnceWithoutAnyExport() throws Exception {
        AtomicInteger built = new AtomicInteger();
        InMemorySpanExporter real = InMemorySpanExporter.create();
        SpanExporter lazy = LazyExporters.spans(() -> {
            built.incrementAndGet();
            return real;
        });
        LazyExporters.buildInBackground(lazy, java.time.Duration.ZERO, null);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lazy.toString()).doesNotContain("not created yet"));
        assertThat(lazy.export(List.of()).isSuccess()).isTrue();
        assertThat(built)
                .as("the export uses the exporter built in the background")
                .hasValue(1);

        SpanExporter shutDown = LazyExporters.spans(() -> {
            built.incrementAndGet();
            return real;
        });
        shutDown.shutdown();
        LazyExporters.buildInBackground(shutDown, java.time.Duration.ZERO, null);
        Thread.sleep(200);
        assertThat(built).as("nothing is built after shutdown").hasValue(1);
    }

    @Test
    void warmUpRequestOnlyTowardsAnEndpointThatAcceptsConnections() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (java.net.ServerSocket open = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            String up = "http://127.0.0.1:" + open.getLocalPort() + "/v1/traces";
            String down = "http://127.0.0.1:" + closedPort + "/v1/traces";
            assertThat(LazyExporters.acceptsConnections(up)).isTrue();
            assertThat(LazyExporters.acceptsConnections(down)).isFalse();
            assertThat(LazyExporters.acceptsConnections("not a uri")).isFalse();
            assertThat(LazyExporters.acceptsConnections(null)).isFalse();

            AtomicInteger downExports = new AtomicInteger();
            SpanExporter towardsDown = LazyExporters.spans(() -> countingExporter(downExports));
            LazyExporters.buildInBackground(towardsDown, java.time.Duration.ZERO, down);
            AtomicInteger upExports = new AtomicInteger();
            SpanExporter towardsUp = LazyExporters.spans(() -> countingExporter(upExports));
            LazyExporters.buildInBackground(towardsUp, java.time.Duration.ZERO, up);

            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(upExports).hasValue(1));
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(towardsDown.toString()).doesNotContain("not created yet"));
            Thread.sleep(LazyExporters.PROBE_TIMEOUT_MILLIS + 200L);
            assertThat(downExports)
                    .as("no warm-up request (and no failed-export log) towards a collector that is not up")
                    .hasValue(0);
        }
    }

    private static SpanExporter countingExporter(AtomicInteger exports) {
        InMemorySpanExporter real = InMemorySpanExporter.create();
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
                exports.incrementAndGet();
                return real.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return real.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return real.shutdown();
            }
        };
    }
}
