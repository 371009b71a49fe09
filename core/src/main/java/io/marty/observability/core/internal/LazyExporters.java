package io.marty.observability.core.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Internal, unstable. OTLP exporters built off the caller's thread instead of in {@code
 * MartyObservability.start}: building one creates its HTTP client (the JDK {@code HttpClient} and
 * its {@code SSLContext}; OkHttp and gRPC load their own classes), which added ~0.4 s to the time to
 * a service's first response when done inline, and still ~70 ms when a thread did it alongside
 * {@code start} on two cores. {@link #buildInBackground} builds it on a daemon thread a while after
 * the exporter is created, once the service is usually serving, so that it is ready before the
 * first busy batch: built on the batch processor's thread at its first export, a burst of spans
 * filled the queue while the client was being created and spans were dropped. An export that comes
 * first builds it itself, or waits for the build under way. The configuration was validated before,
 * so building cannot fail on a bad value here; if it throws anyway, that export fails (counted like
 * any failed export, warned once) and the next one tries again.
 */
final class LazyExporters {
    private static final Logger LOG = Logger.getLogger(LazyExporters.class.getName());

    /** How long the background build waits for a TCP connection before skipping the warm-up request. */
    static final int PROBE_TIMEOUT_MILLIS = 500;

    private LazyExporters() {}

    static SpanExporter spans(Supplier<SpanExporter> factory) {
        return new Spans(factory);
    }

    static LogRecordExporter logs(Supplier<LogRecordExporter> factory) {
        return new Logs(factory);
    }

    /**
     * Builds {@code exporter} (one of this class's) on a daemon thread after {@code delay}; a no-op
     * for any other exporter or one already built or shut down by then.
     */
    static void buildInBackground(Object exporter, Duration delay, @Nullable String endpoint) {
        if (exporter instanceof Lazy) {
            Lazy<?> lazy = (Lazy<?>) exporter;
            Thread t = new Thread(
                    () -> {
                        try {
                            Thread.sleep(delay.toMillis());
                        } catch (InterruptedException e) {
                            return; // the export builds it when it comes
                        }
                        lazy.buildAndConnect(endpoint);
                    },
                    "marty-otlp-exporter-build");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Whether a TCP connection to {@code endpoint}'s host and port opens within {@link
     * #PROBE_TIMEOUT_MILLIS} (false for a missing or unparsable endpoint).
     */
    static boolean acceptsConnections(@Nullable String endpoint) {
        if (endpoint == null) {
            return false;
        }
        try {
            URI uri = URI.create(endpoint);
            String host = uri.getHost();
            if (host == null) {
                return false;
            }
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
                return true;
            }
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /** Creation once, on first use; flush and shutdown of a never-created exporter are no-ops. */
    private abstract static class Lazy<T> {
        private final Supplier<T> factory;
        private final Function<T, CompletableResultCode> flush;
        private final Function<T, CompletableResultCode> shutdown;
        private final Function<T, CompletableResultCode> exportNothing;
        private volatile T instance;
        private volatile boolean shutDown;
        private boolean warned;

        Lazy(
                Supplier<T> factory,
                Function<T, CompletableResultCode> flush,
                Function<T, CompletableResultCode> shutdown,
                Function<T, CompletableResultCode> exportNothing) {
            this.factory = factory;
            this.flush = flush;
            this.shutdown = shutdown;
            this.exportNothing = exportNothing;
        }

        /**
         * Builds the exporter, then sends one empty export request: the HTTP client's first request
         * opens the connection and loads its request classes (about as long again as the build),
         * which would otherwise stall the first batch as well. The result is not waited for.
         */
        void buildAndConnect(@Nullable String endpoint) {
            T built = null;
            synchronized (this) {
                if (instance == null && !shutDown) { // else an export came first and connected
                    built = get();
                }
            }
            // only towards a collector that accepts connections: one that is not up yet would make the
            // exporter log a failed export at every start of a service that has exported nothing
            if (built != null && !shutDown && acceptsConnections(endpoint)) {
                exportNothing.apply(built);
            }
        }

        /** The exporter, created now if needed; null after shutdown or when it cannot be built. */
        T get() {
            T current = instance;
            if (current == null && !shutDown) {
                synchronized (this) {
                    current = instance;
                    if (current == null && !shutDown) {
                        try {
                            current = factory.get();
                            instance = current;
                        } catch (RuntimeException | LinkageError e) {
                            if (!warned) {
                                warned = true;
                                LOG.log(Level.WARNING, "cannot build the OTLP exporter; exports fail until it can", e);
                            }
                        }
                    }
                }
            }
            return current;
        }

        /** The exporter if it was created; marks shut down so that it is never created later. */
        private synchronized T created(boolean shutdown) {
            if (shutdown) {
                shutDown = true;
            }
            return instance;
        }

        public CompletableResultCode flush() {
            T exporter = created(false);
            return exporter == null ? CompletableResultCode.ofSuccess() : flush.apply(exporter);
        }

        public CompletableResultCode shutdown() {
            T exporter = created(true);
            return exporter == null ? CompletableResultCode.ofSuccess() : shutdown.apply(exporter);
        }

        @Override
        public String toString() {
            T current = instance;
            return "Lazy{" + (current == null ? "not created yet" : current) + "}";
        }
    }

    private static final class Spans extends Lazy<SpanExporter> implements SpanExporter {
        Spans(Supplier<SpanExporter> factory) {
            super(factory, SpanExporter::flush, SpanExporter::shutdown, e -> e.export(List.of()));
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            SpanExporter exporter = get();
            return exporter == null ? CompletableResultCode.ofFailure() : exporter.export(spans);
        }
    }

    private static final class Logs extends Lazy<LogRecordExporter> implements LogRecordExporter {
        Logs(Supplier<LogRecordExporter> factory) {
            super(factory, LogRecordExporter::flush, LogRecordExporter::shutdown, e -> e.export(List.of()));
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            LogRecordExporter exporter = get();
            return exporter == null ? CompletableResultCode.ofFailure() : exporter.export(logs);
        }
    }
}
