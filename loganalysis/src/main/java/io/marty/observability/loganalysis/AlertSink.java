package io.marty.observability.loganalysis;

/**
 * Where alerts go: {@link io.marty.observability.loganalysis.sink.JsonLinesAlertSink}, {@link
 * io.marty.observability.loganalysis.sink.WebhookAlertSink}, {@link
 * io.marty.observability.loganalysis.sink.AlertmanagerAlertSink}, or your own. {@link #send} is called
 * on the analyzer's thread: it must not block for long and must not throw (network sinks queue and
 * deliver on their own thread).
 */
public interface AlertSink extends AutoCloseable {

    /** Short name used as the {@code sink} metric label. */
    String name();

    void send(Alert alert);

    /** Flushes what is queued (bounded in time) and releases resources. */
    @Override
    default void close() {}
}
