package io.marty.observability.console;

import java.util.List;
import java.util.Map;

/**
 * One span as received by the console (ids hex-encoded, times in epoch nanoseconds).
 *
 * @param seq arrival sequence number assigned by the console store
 * @param traceId 32 hex chars
 * @param spanId 16 hex chars
 * @param parentSpanId 16 hex chars, or empty for a root span
 * @param name span name as sent
 * @param kind {@code SERVER}, {@code CLIENT}, {@code INTERNAL}, {@code PRODUCER}, {@code CONSUMER}
 *     or {@code UNSPECIFIED}
 * @param service resource attribute {@code service.name} ({@code unknown_service} when absent)
 * @param startEpochNanos start time
 * @param durationNanos end minus start (never negative)
 * @param status {@code UNSET}, {@code OK} or {@code ERROR}
 * @param statusMessage status description, may be empty
 * @param correlationId attribute {@code mmf.correlation_id}, or empty
 * @param attributes span attributes rendered as strings
 * @param events span events (name, time, attributes)
 */
public record ConsoleSpan(
        long seq,
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        String kind,
        String service,
        long startEpochNanos,
        long durationNanos,
        String status,
        String statusMessage,
        String correlationId,
        Map<String, String> attributes,
        List<Event> events) {

    /** Copy with the store-assigned sequence number. */
    public ConsoleSpan withSeq(long newSeq) {
        return new ConsoleSpan(
                newSeq,
                traceId,
                spanId,
                parentSpanId,
                name,
                kind,
                service,
                startEpochNanos,
                durationNanos,
                status,
                statusMessage,
                correlationId,
                attributes,
                events);
    }

    /**
     * Route label used for RED figures: {@code http.route} (prefixed with the method when present),
     * else {@code rpc.service/rpc.method}, else the span name.
     */
    public String route() {
        String method = attributes.getOrDefault("http.request.method", attributes.getOrDefault("http.method", ""));
        String httpRoute = attributes.getOrDefault("http.route", "");
        if (!httpRoute.isEmpty()) {
            return method.isEmpty() ? httpRoute : method + " " + httpRoute;
        }
        String rpcService = attributes.getOrDefault("rpc.service", "");
        if (!rpcService.isEmpty()) {
            return rpcService + "/" + attributes.getOrDefault("rpc.method", "");
        }
        return name;
    }

    /** True when the span status is {@code ERROR}. */
    public boolean isError() {
        return "ERROR".equals(status);
    }

    /**
     * A span event.
     *
     * @param name event name
     * @param epochNanos event time
     * @param attributes event attributes rendered as strings
     */
    public record Event(String name, long epochNanos, Map<String, String> attributes) {}
}
