package io.marty.observability.core.alert;

/**
 * Where alerts go: {@link JsonLinesAlertSink}, {@link WebhookAlertSink}, {@link
 * AlertmanagerAlertSink}, or your own. {@link #send} is called on the thread that raised the alert (the
 * log analyzer's or the business rule evaluator's): it must not block for long and must not throw (network sinks queue and
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
