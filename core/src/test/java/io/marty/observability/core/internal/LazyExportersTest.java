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
        LazyExporters.buildInBackground(lazy, java.time.Duration.ZERO);
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
        LazyExporters.buildInBackground(shutDown, java.time.Duration.ZERO);
        Thread.sleep(200);
        assertThat(built).as("nothing is built after shutdown").hasValue(1);
    }
}
