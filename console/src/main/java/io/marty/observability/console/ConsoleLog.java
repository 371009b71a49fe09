package io.marty.observability.console;

import java.util.Map;

/**
 * One log record as received by the console.
 *
 * @param seq arrival sequence number assigned by the console store (the live-tail cursor)
 * @param epochNanos event time (observed time when the event time is absent)
 * @param severity normalised level: {@code TRACE DEBUG INFO WARN ERROR FATAL}
 * @param body the message rendered as a string
 * @param service resource attribute {@code service.name}
 * @param category MMF log category (attribute {@code category}), or empty
 * @param logger instrumentation scope name (the logger), or empty
 * @param traceId 32 hex chars or empty
 * @param spanId 16 hex chars or empty
 * @param correlationId attribute {@code correlation_id} / {@code mmf.correlation_id}, or empty
 * @param attributes log attributes rendered as strings
 */
public record ConsoleLog(
        long seq,
        long epochNanos,
        String severity,
        String body,
        String service,
        String category,
        String logger,
        String traceId,
        String spanId,
        String correlationId,
        Map<String, String> attributes) {

    /** Copy with the store-assigned sequence number. */
    public ConsoleLog withSeq(long newSeq) {
        return new ConsoleLog(
                newSeq,
                epochNanos,
                severity,
                body,
                service,
                category,
                logger,
                traceId,
                spanId,
                correlationId,
                attributes);
    }
}
