package io.marty.observability.core.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Internal, unstable. Exporters passed in through the config's test hooks belong to the caller:
 * closing Marty flushes them but does not shut them down, so one exporter can serve several
 * start/close cycles (e.g. an {@code InMemorySpanExporter} in a test class).
 */
final class CallerOwnedExporters {
    private CallerOwnedExporters() {}

    static SpanExporter spans(SpanExporter delegate) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return delegate.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return delegate.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return delegate.flush();
            }

            @Override
            public String toString() {
                return "CallerOwned{" + delegate + "}";
            }
        };
    }

    static LogRecordExporter logs(LogRecordExporter delegate) {
        return new LogRecordExporter() {
            @Override
            public CompletableResultCode export(Collection<LogRecordData> logs) {
                return delegate.export(logs);
            }

            @Override
            public CompletableResultCode flush() {
                return delegate.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return delegate.flush();
            }

            @Override
            public String toString() {
                return "CallerOwned{" + delegate + "}";
            }
        };
    }
}
