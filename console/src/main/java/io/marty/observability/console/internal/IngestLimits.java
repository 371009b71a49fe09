package io.marty.observability.console.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one OTLP item may carry into the stores, in the manner of the OpenTelemetry SDK's {@code
 * SpanLimits}/{@code LogLimits}: attributes beyond the count limit, events beyond the per-span limit
 * and data points beyond the per-request limit are dropped and counted; strings (and histogram
 * bucket and exemplar lists) are clipped and counted as {@code clipped}.
 *
 * @param maxRequestBytes largest accepted body, after decompression
 * @param maxAttributes attributes kept per span, span event, log record and data point
 * @param maxValueChars characters kept of an attribute value or log body
 * @param maxNameChars characters kept of a name (span, event, metric, scope, attribute key), unit
 *     or status message
 * @param maxEventsPerSpan span events kept per span
 * @param maxPointsPerRequest metric data points accepted from one request (the rest are rejected)
 */
public record IngestLimits(
        int maxRequestBytes,
        int maxAttributes,
        int maxValueChars,
        int maxNameChars,
        int maxEventsPerSpan,
        int maxPointsPerRequest) {

    /** What the limits dropped or clipped since start ({@code /api/stats} → {@code receiver.dropped}). */
    static final class Dropped {
        final AtomicLong attributes = new AtomicLong();
        final AtomicLong events = new AtomicLong();
        final AtomicLong points = new AtomicLong();
        final AtomicLong clipped = new AtomicLong();

        Map<String, Long> snapshot() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("attributes", attributes.get());
            m.put("events", events.get());
            m.put("points", points.get());
            m.put("clipped", clipped.get());
            return m;
        }
    }
}
