package io.marty.observability.core.metrics;

/**
 * Receives every completed request recorded by {@link RedMetrics}, on the thread that ended it.
 * Must be fast and must not block; an exception is caught, counted in {@code
 * mmf_instrumentation_errors_total{component="request_listener"}} and logged (rate-limited), and
 * never reaches the request.
 */
@FunctionalInterface
public interface RequestListener {
    /** Called once per completed request. */
    void onRequest(CompletedRequest request);
}
