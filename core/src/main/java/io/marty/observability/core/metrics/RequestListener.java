package io.marty.observability.core.metrics;

/**
 * Receives every completed request recorded by {@link RedMetrics}, on the thread that ended it.
 * Must be fast and must not block; exceptions are caught and counted.
 */
@FunctionalInterface
public interface RequestListener {
    /** Called once per completed request. */
    void onRequest(CompletedRequest request);
}
