package io.marty.observability.core.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Internal, unstable. Exporters passed in through the config's test hooks belong to the caller:
 * closing Marty flushes them but does not shut them down, so one exporter can serve several
 * start/close cycles (e.g. an {@code InMemorySpanExporter} in a test class).
 */
final class CallerOwnedExporters {
    private CallerOwnedExporters() {}

    static SpanExporter spans(SpanExporter delegate) {
        return new Spans(delegate);
    }

    static LogRecordExporter logs(LogRecordExporter delegate) {
        return new Logs(delegate);
    }

    /** flush/shutdown/toString shared by both signals: shutdown only flushes the caller's exporter. */
    private abstract static class CallerOwned<T> {
        final T delegate;
        private final Supplier<CompletableResultCode> flush;

        CallerOwned(T delegate, Supplier<CompletableResultCode> flush) {
            this.delegate = delegate;
            this.flush = flush;
        }

        public CompletableResultCode flush() {
            return flush.get();
        }

        public CompletableResultCode shutdown() {
            return flush.get();
        }

        @Override
        public String toString() {
            return "CallerOwned{" + delegate + "}";
        }
    }

    private static final class Spans extends CallerOwned<SpanExporter> implements SpanExporter {
        Spans(SpanExporter delegate) {
            super(delegate, delegate::flush);
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return delegate.export(spans);
        }
    }

    private static final class Logs extends CallerOwned<LogRecordExporter> implements LogRecordExporter {
        Logs(LogRecordExporter delegate) {
            super(delegate, delegate::flush);
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            return delegate.export(logs);
        }
    }
}
