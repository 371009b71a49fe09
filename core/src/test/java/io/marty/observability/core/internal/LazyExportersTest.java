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
    void buildInBackgroundBuildsOnceAndSendsOneEmptyExport() throws Exception {
        AtomicInteger built = new AtomicInteger();
        List<Integer> exports = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(1);
        SpanExporter real = new SpanExporter() {
            @Override
            public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
                exports.add(spans.size());
                warmedUp.countDown();
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        SpanExporter lazy = LazyExporters.spans(() -> {
            built.incrementAndGet();
            return real;
        });
        LazyExporters.buildInBackground(lazy, java.time.Duration.ZERO);
        assertThat(warmedUp.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(built).hasValue(1);
        assertThat(exports).containsExactly(0);

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
