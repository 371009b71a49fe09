package io.marty.observability.loganalysis;

import java.util.Map;

/**
 * A decoded OTLP log record, as the console's OTLP/HTTP receiver hands it over; {@link
 * LogAnalyzer#acceptOtlp} maps it onto the MMF schema: {@code service.name} from the resource,
 * severity from the number (or text), body as message, trace/span ids into context, attributes
 * {@code mmf.correlation_id}/{@code correlation_id}… into context, {@code log.category}/{@code
 * category} as category, all other attributes into fields.
 *
 * @param timeUnixNano event time (0 when unknown: observed time or the clock is used)
 * @param observedTimeUnixNano observed time (0 when unknown)
 * @param severityNumber OTLP severity number (0 = unspecified)
 * @param severityText severity text or null
 * @param body the body rendered as a string
 * @param attributes log record attributes (string, number or boolean values)
 * @param resourceAttributes resource attributes
 * @param traceId hex trace id or null/empty
 * @param spanId hex span id or null/empty
 */
public record OtlpLogRecord(
        long timeUnixNano,
        long observedTimeUnixNano,
        int severityNumber,
        String severityText,
        String body,
        Map<String, Object> attributes,
        Map<String, Object> resourceAttributes,
        String traceId,
        String spanId) {

    private static final String[] CONTEXT_KEYS = {
        "correlation_id", "request_id", "parent_request_id", "user_id", "session_id", "operation_id", "plugin_id"
    };

    public OtlpLogRecord {
        attributes = attributes == null ? Map.of() : attributes;
        resourceAttributes = resourceAttributes == null ? Map.of() : resourceAttributes;
    }

    /** Maps the record onto a {@link LogEvent}. */
    public LogEvent toEvent() {
        LogEvent.Builder b = LogEvent.builder();
        long nanos = timeUnixNano != 0 ? timeUnixNano : observedTimeUnixNano;
        if (nanos != 0) {
            b.timestampMillis(nanos / 1_000_000);
        }
        LogLevel level = LogLevel.fromOtlpSeverity(severityNumber);
        if (level == LogLevel.UNKNOWN) {
            level = LogLevel.parse(severityText);
        }
        b.level(level);
        Object svc = resourceAttributes.get("service.name");
        b.service(svc == null ? null : svc.toString());
        b.message(body);
        b.context("trace_id", traceId);
        b.context("span_id", spanId);
        for (Map.Entry<String, Object> en : attributes.entrySet()) {
            String k = en.getKey();
            Object v = en.getValue();
            if (v == null) {
                continue;
            }
            String bare = k.startsWith("mmf.") ? k.substring(4) : k;
            if (isContextKey(bare)) {
                b.context(bare, v.toString());
            } else if (bare.equals("category") || k.equals("log.category")) {
                b.category(v.toString());
            } else {
                b.field(bare.startsWith("fields.") ? bare.substring(7) : bare, v);
            }
        }
        return b.build();
    }

    private static boolean isContextKey(String k) {
        for (String c : CONTEXT_KEYS) {
            if (c.equals(k)) {
                return true;
            }
        }
        return false;
    }
}
