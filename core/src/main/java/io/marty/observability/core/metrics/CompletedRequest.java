package io.marty.observability.core.metrics;

/**
 * One finished request as reported to {@link RequestListener}s (e.g. the SLO tracker).
 *
 * @param service service name
 * @param protocol protocol
 * @param direction server or client
 * @param method HTTP method or gRPC full method name
 * @param route route template
 * @param status HTTP status code or gRPC status name
 * @param outcome outcome class
 * @param durationSeconds duration in seconds
 * @param epochMillis end time, milliseconds since the epoch
 */
public record CompletedRequest(
        String service,
        Protocol protocol,
        Direction direction,
        String method,
        String route,
        String status,
        Outcome outcome,
        double durationSeconds,
        long epochMillis) {}
