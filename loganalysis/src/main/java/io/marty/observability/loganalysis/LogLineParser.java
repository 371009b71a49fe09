package io.marty.observability.loganalysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
    private static final JsonFactory JSON = MAPPER.getFactory();
    private static final String[] TIMESTAMP_KEYS = {"timestamp", "@timestamp", "time", "ts"};
    private static final String[] LEVEL_KEYS = {"level", "severity", "log.level"};
    private static final String[] SERVICE_KEYS = {"service_name", "service", "service.name"};
    private static final String[] MESSAGE_KEYS = {"message", "msg"};
    private static final Set<String> OBJECT_FIELDS = Set.of("fields", "performance", "business");
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
    public static LogLineParser create(@Nullable String defaultService) {
        return create(defaultService, DEFAULT_MAX_LINE_LENGTH);
    }

    public static LogLineParser create(@Nullable String defaultService, int maxLineLength) {
        if (maxLineLength < 16) {
            throw new IllegalArgumentException("maxLineLength must be >= 16, got " + maxLineLength);
        }
        return new LogLineParser(maxLineLength, defaultService == null ? "unknown" : defaultService);
    }

    /** Outcome of parsing one line: an event, or the reason the line was rejected. */
    public record Result(@Nullable LogEvent event, @Nullable String rejectReason) {
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
    public Result parse(@Nullable String line) {
        if (line == null || line.isBlank()) {
            return new Result(null, REASON_BLANK);
        }
        if (line.length() > maxLineLength) {
            return new Result(null, REASON_TOO_LONG);
        }
        int first = firstNonSpace(line);
        char c = line.charAt(first);
        if (c == '{' || c == '[') {
            try (JsonParser p = JSON.createParser(line)) {
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_OBJECT) {
                    // Validate the rest so "[WARN] disk full" (not JSON) stays a plain line.
                    p.skipChildren();
                    return new Result(null, REASON_NOT_OBJECT);
                }
                return new Result(readObject(p), null);
            } catch (IOException e) {
                // "[WARN] disk full" is a plain line; only '{' promises JSON.
                return c == '[' ? new Result(plain(line.strip()), null) : new Result(null, REASON_INVALID_JSON);
            }
        }
        return new Result(plain(line.strip()), null);
    }

    /**
     * Reads one MMF JSON object with the streaming parser (no tree: this is the analyzer's hot path).
     * Older spellings are accepted; when several are present the first of each list wins, e.g.
     * {@code timestamp} over {@code @timestamp}, and {@code context}/{@code fields} over top-level keys.
     */
    private LogEvent readObject(JsonParser p) throws IOException {
        Object[] ts = new Object[TIMESTAMP_KEYS.length];
        String[] level = new String[LEVEL_KEYS.length];
        String[] service = new String[SERVICE_KEYS.length];
        String[] message = new String[MESSAGE_KEYS.length];
        String category = null;
        String exceptionType = null;
        Map<String, String> context = new LinkedHashMap<>();
        Map<String, String> topContext = null;
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> topFields = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            int i;
            if ((i = indexOf(TIMESTAMP_KEYS, name)) >= 0) {
                ts[i] = t.isNumeric() ? p.getNumberValue() : scalarText(p, t);
            } else if ((i = indexOf(LEVEL_KEYS, name)) >= 0) {
                level[i] = scalarText(p, t);
            } else if ((i = indexOf(SERVICE_KEYS, name)) >= 0) {
                service[i] = scalarText(p, t);
            } else if ((i = indexOf(MESSAGE_KEYS, name)) >= 0) {
                message[i] = scalarText(p, t);
            } else if (name.equals("category")) {
                category = scalarText(p, t);
            } else if (name.equals("context") && t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    String v = scalarText(p, p.nextToken());
                    if (v != null) {
                        context.put(k, v);
                    }
                }
            } else if (OBJECT_FIELDS.contains(name) && t == JsonToken.START_OBJECT) {
                // fields{}, and the older performance{} / business{} objects some services still write.
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    Object v = value(p, p.nextToken());
                    if (v != null) {
                        fields.put(k, v);
                    }
                }
            } else if ((name.equals("exception") || name.equals("error")) && t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    JsonToken vt = p.nextToken();
                    if (k.equals("type") && (exceptionType == null || name.equals("exception"))) {
                        exceptionType = scalarText(p, vt);
                    } else {
                        p.skipChildren();
                    }
                }
            } else if (t.isScalarValue()) {
                // Some encoders (logstash, MDC at top level) put correlation keys and fields at the top.
                if (isContextKey(name)) {
                    if (topContext == null) {
                        topContext = new LinkedHashMap<>();
                    }
                    topContext.put(name, scalarText(p, t));
                } else if (t != JsonToken.VALUE_NULL) {
                    if (topFields == null) {
                        topFields = new LinkedHashMap<>();
                    }
                    topFields.put(name, value(p, t));
                }
            } else {
                p.skipChildren();
            }
        }
        LogEvent.Builder b = LogEvent.builder();
        b.timestampMillis(timestamp(first(ts)));
        b.level(LogLevel.parse(first(level)));
        String svc = first(service);
        b.service(svc == null ? defaultService : svc);
        b.category(category);
        b.message(first(message));
        context.forEach(b::context);
        if (topContext != null) {
            topContext.forEach((k, v) -> {
                if (!context.containsKey(k)) {
                    b.context(k, v);
                }
            });
        }
        if (topFields != null) {
            topFields.forEach(b::field);
        }
        fields.forEach(b::field);
        if (exceptionType != null) {
            b.field("exception_type", exceptionType);
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

    private static <T> T first(T[] candidates) {
        for (T c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static int indexOf(String[] keys, String name) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isContextKey(String name) {
        return indexOf(CONTEXT_KEYS, name) >= 0;
    }

    /** A scalar as text (numbers and booleans too), a nested value as its JSON, null for null. */
    private static String scalarText(JsonParser p, JsonToken t) throws IOException {
        if (t == null || t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t.isScalarValue()) {
            return p.getText();
        }
        return MAPPER.readTree(p).toString();
    }

    /** A value as String, Number, Boolean, or Map/List for nested JSON; null for null. */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                return MAPPER.readValue(p, Object.class);
        }
    }

    /** Epoch millis from an ISO-8601 text or epoch seconds/millis number; NO_TIMESTAMP otherwise. */
    static long timestamp(Object v) {
        if (v == null) {
            return LogEvent.NO_TIMESTAMP;
        }
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            // Epoch seconds (possibly fractional) vs millis: 1e11 s is the year 5138.
            return d < 1e11 ? (long) (d * 1000) : (long) d;
        }
        String s = v.toString().trim();
        long fast = fastIso(s);
        if (fast != LogEvent.NO_TIMESTAMP) {
            return fast;
        }
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

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fff…](Z|±HH:MM)} without a formatter: the common case costs a tenth of
     * {@link Instant#parse}. Anything else returns NO_TIMESTAMP and takes the general path.
     */
    static long fastIso(String s) {
        int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return LogEvent.NO_TIMESTAMP;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return LogEvent.NO_TIMESTAMP;
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            i++;
            int scale = 100;
            while (i < n && Character.isDigit(s.charAt(i))) {
                millis += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, i + 3);
            int om = digits(s, i + 4, i + 6);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return LogEvent.NO_TIMESTAMP;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return LogEvent.NO_TIMESTAMP;
        }
        long epochDay;
        try {
            epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return LogEvent.NO_TIMESTAMP; // e.g. February 30th
        }
        long secs = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return secs * 1000L + millis;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int firstNonSpace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return Math.min(i, s.length() - 1);
    }
}
