package io.marty.observability.loganalysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns one input line into a {@link LogEvent}. Lines starting with <code>{</code> are parsed as MMF
 * JSON; anything else is a plain-text line whose level is sniffed from its first tokens. Bad lines
 * (invalid JSON, a JSON value that is not an object, blank, over {@link #maxLineLength}) yield a
 * {@link Result} with a reason instead of an exception.
 *
 * <p>Thread-safe.
 */
public final class LogLineParser {
    /** Default longest accepted line, in characters. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KNOWN_TOP_LEVEL = Set.of(
            "timestamp",
            "@timestamp",
            "time",
            "ts",
            "level",
            "severity",
            "log.level",
            "service_name",
            "service",
            "service.name",
            "message",
            "msg",
            "category",
            "context",
            "fields",
            "performance",
            "business",
            "error",
            "exception");
    private static final String[] CONTEXT_KEYS = {
        "correlation_id",
        "request_id",
        "parent_request_id",
        "user_id",
        "session_id",
        "operation_id",
        "plugin_id",
        "trace_id",
        "span_id"
    };

    private final int maxLineLength;
    private final String defaultService;

    private LogLineParser(int maxLineLength, String defaultService) {
        this.maxLineLength = maxLineLength;
        this.defaultService = defaultService;
    }

    /** A parser with the default line limit; plain lines get service {@code defaultService}. */
    public static LogLineParser create(String defaultService) {
        return create(defaultService, DEFAULT_MAX_LINE_LENGTH);
    }

    public static LogLineParser create(String defaultService, int maxLineLength) {
        if (maxLineLength < 16) {
            throw new IllegalArgumentException("maxLineLength must be >= 16, got " + maxLineLength);
        }
        return new LogLineParser(maxLineLength, defaultService == null ? "unknown" : defaultService);
    }

    /** Outcome of parsing one line: an event, or the reason the line was rejected. */
    public record Result(LogEvent event, String rejectReason) {
        public boolean ok() {
            return event != null;
        }
    }

    /** Reason labels (bounded set, used as metric label values). */
    public static final String REASON_BLANK = "blank";

    public static final String REASON_TOO_LONG = "too_long";
    public static final String REASON_INVALID_JSON = "invalid_json";
    public static final String REASON_NOT_OBJECT = "not_object";

    /** Parses one line; never throws. */
    public Result parse(String line) {
        if (line == null || line.isBlank()) {
            return new Result(null, REASON_BLANK);
        }
        if (line.length() > maxLineLength) {
            return new Result(null, REASON_TOO_LONG);
        }
        int first = firstNonSpace(line);
        char c = line.charAt(first);
        if (c == '{' || c == '[') {
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                // "[WARN] disk full" is a plain line; only '{' promises JSON.
                return c == '[' ? new Result(plain(line.strip()), null) : new Result(null, REASON_INVALID_JSON);
            }
            if (node == null || !node.isObject()) {
                return new Result(null, REASON_NOT_OBJECT);
            }
            return new Result(fromJson((ObjectNode) node), null);
        }
        return new Result(plain(line.strip()), null);
    }

    /** Builds an event from a parsed JSON object in the MMF schema (older field spellings accepted). */
    public LogEvent fromJson(ObjectNode o) {
        LogEvent.Builder b = LogEvent.builder();
        b.timestampMillis(timestamp(firstPresent(o, "timestamp", "@timestamp", "time", "ts")));
        b.level(LogLevel.parse(textOf(firstPresent(o, "level", "severity", "log.level"))));
        String service = textOf(firstPresent(o, "service_name", "service", "service.name"));
        b.service(service == null ? defaultService : service);
        b.category(textOf(o.get("category")));
        b.message(textOf(firstPresent(o, "message", "msg")));
        JsonNode ctx = o.get("context");
        if (ctx != null && ctx.isObject()) {
            ctx.fields().forEachRemaining(en -> b.context(en.getKey(), scalarText(en.getValue())));
        }
        // Some encoders (logstash, MDC at top level) put the correlation keys at the top.
        for (String k : CONTEXT_KEYS) {
            JsonNode v = o.get(k);
            if (v != null && (ctx == null || ctx.get(k) == null)) {
                b.context(k, scalarText(v));
            }
        }
        copyFields(o.get("fields"), b);
        // The seed's older schema nests performance/business/error data.
        copyFields(o.get("performance"), b);
        copyFields(o.get("business"), b);
        JsonNode err = o.has("exception") ? o.get("exception") : o.get("error");
        if (err != null && err.isObject()) {
            b.field("exception_type", textOf(err.get("type")));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> en = it.next();
            if (!KNOWN_TOP_LEVEL.contains(en.getKey()) && en.getValue().isValueNode()) {
                b.field(en.getKey(), scalar(en.getValue()));
            }
        }
        return b.build();
    }

    private LogEvent plain(String line) {
        return LogEvent.builder()
                .structured(false)
                .service(defaultService)
                .level(sniffLevel(line))
                .message(line)
                .build();
    }

    /**
     * Finds a level word among the first eight words of a plain line: an upper-case word ({@code
     * ERROR}, {@code [WARN]}) or a capitalised one of four letters or more ({@code Error:}).
     */
    static LogLevel sniffLevel(String line) {
        int n = Math.min(line.length(), 256);
        int i = 0;
        for (int words = 0; words < 8 && i < n; words++) {
            while (i < n && !Character.isLetter(line.charAt(i))) {
                i++;
            }
            int start = i;
            boolean upper = true;
            while (i < n && Character.isLetter(line.charAt(i))) {
                upper &= Character.isUpperCase(line.charAt(i));
                i++;
            }
            int len = i - start;
            if (len >= 3 && len <= 11 && (upper || (len >= 4 && Character.isUpperCase(line.charAt(start))))) {
                LogLevel l = LogLevel.parse(line.substring(start, i));
                if (l != LogLevel.UNKNOWN) {
                    return l;
                }
            }
        }
        return LogLevel.UNKNOWN;
    }

    private static void copyFields(JsonNode node, LogEvent.Builder b) {
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(en -> b.field(en.getKey(), scalar(en.getValue())));
        }
    }

    private static JsonNode firstPresent(ObjectNode o, String... names) {
        for (String n : names) {
            JsonNode v = o.get(n);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    private static Object scalar(JsonNode v) {
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNull()) {
            return null;
        }
        return MAPPER.convertValue(v, Object.class);
    }

    private static String scalarText(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String textOf(JsonNode v) {
        return v == null || v.isNull() ? null : scalarText(v);
    }

    static long timestamp(JsonNode v) {
        if (v == null) {
            return LogEvent.NO_TIMESTAMP;
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            // Epoch seconds (possibly fractional) vs millis: 1e11 s is the year 5138.
            return d < 1e11 ? (long) (d * 1000) : (long) d;
        }
        if (v.isTextual()) {
            String s = v.textValue().trim();
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(s).toInstant().toEpochMilli();
                } catch (DateTimeParseException e2) {
                    try {
                        // "2023-12-01 12:34:56.789" without zone: read as UTC.
                        return Instant.parse(s.replace(' ', 'T') + (s.endsWith("Z") ? "" : "Z"))
                                .toEpochMilli();
                    } catch (DateTimeParseException e3) {
                        return LogEvent.NO_TIMESTAMP;
                    }
                }
            }
        }
        return LogEvent.NO_TIMESTAMP;
    }

    private static int firstNonSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return Math.min(i, s.length() - 1);
    }
}
