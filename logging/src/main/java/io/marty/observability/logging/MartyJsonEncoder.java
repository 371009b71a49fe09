package io.marty.observability.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.logging.internal.ContextKeys;
import io.marty.observability.logging.internal.IsoTimestamp;
import io.marty.observability.logging.internal.JsonWriter;
import io.marty.observability.logging.internal.ServiceIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Logback encoder writing one JSON object per line in the Marty schema:
 *
 * <pre>{@code
 * {"timestamp":"2026-11-26T01:02:03.456Z","level":"INFO","service_name":"orders","service_version":"1.4.2",
 *  "environment":"production","logger":"com.acme.Orders","thread":"http-1","message":"order placed",
 *  "category":"business","context":{"correlation_id":"…","request_id":"…","trace_id":"…","span_id":"…"},
 *  "fields":{"order_id":"o-1","amount":99.99},"exception":{"type":"…","message":"…","stack":"…"}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code context} holds the MDC keys {@code correlation_id request_id parent_request_id user_id
 *       session_id operation_id plugin_id trace_id span_id} (kept in sync with the OpenTelemetry
 *       context by the core module); absent values are omitted, an empty context is omitted.
 *   <li>{@code fields} holds SLF4J 2 key-value pairs, other MDC entries ({@link #setIncludeMdc}) and
 *       non-category markers ({@code "markers":[…]}); {@code category} comes from a {@link
 *       LogCategory} marker or a {@code category} key-value, defaulting to {@code error} for ERROR
 *       events and {@code application} otherwise.
 *   <li>Every string is escaped (control chars, quotes, U+2028/9); lone surrogates become U+FFFD;
 *       messages longer than {@link #setMaxMessageLength} chars are cut and end with {@code
 *       ...[truncated N chars]}. {@link PiiMasker} masking runs on messages, fields and exception
 *       messages.
 *   <li>{@code layout=ecs} writes Elastic Common Schema names instead ({@code @timestamp}, {@code
 *       log.level}, {@code service.name}, {@code trace.id}, {@code error.stack_trace}, …).
 * </ul>
 *
 * <p>The JSON is written straight into a per-thread byte buffer: no reflection, no intermediate
 * maps, no per-event formatter objects. {@link #encode(ILoggingEvent, OutputStream)} skips even the
 * final copy. Encoding never throws: a failing {@code toString()} is written as a marker string.
 *
 * <pre>{@code
 * <encoder class="io.marty.observability.logging.MartyJsonEncoder">
 *   <serviceName>orders</serviceName>
 *   <maskingStrategy>hash</maskingStrategy>
 *   <maskingSalt>${LOG_HASH_SALT}</maskingSalt>
 * </encoder>
 * }</pre>
 */
public class MartyJsonEncoder extends EncoderBase<ILoggingEvent> implements MaskingConfigurable {
    /** Default cut-off for messages, in chars: {@value}. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 32 * 1024;
    /** Default cut-off for string field values, in chars: {@value}. */
    public static final int DEFAULT_MAX_FIELD_LENGTH = 8 * 1024;
    /** Default cut-off for the stack trace text, in chars: {@value}. */
    public static final int DEFAULT_MAX_STACK_TRACE_LENGTH = 64 * 1024;

    private static final int MAX_DEPTH = 8;
    private static final int MAX_ITEMS = 1000;
    private static final int MAX_CAUSES = 32;
    private static final byte[][] LEVELS = new byte[5][];
    private static final byte[][] CATEGORIES = new byte[LogCategory.values().length][];
    private static final byte[][] MARTY_CONTEXT_KEYS = keys(ContextKeys.ALL, "");
    private static final byte[][] ECS_CONTEXT_KEYS = keys(
            new String[] {
                "labels.correlation_id",
                "labels.request_id",
                "labels.parent_request_id",
                "user.id",
                "labels.session_id",
                "labels.operation_id",
                "labels.plugin_id",
                "trace.id",
                "span.id"
            },
            ",");

    static {
        Level[] levels = {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR};
        for (int i = 0; i < levels.length; i++) {
            LEVELS[i] = ascii('"' + levels[i].levelStr + '"');
        }
        for (LogCategory c : LogCategory.values()) {
            CATEGORIES[c.ordinal()] = ascii('"' + c.label() + '"');
        }
    }

    private String serviceName;
    private String serviceVersion;
    private String environment;
    private boolean ecs;
    private int maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
    private int maxFieldLength = DEFAULT_MAX_FIELD_LENGTH;
    private int maxStackTraceLength = DEFAULT_MAX_STACK_TRACE_LENGTH;
    private boolean includeMdc = true;
    private boolean maskingEnabled = true;
    private final MaskingSettings masking = new MaskingSettings();

    private volatile Resolved resolved;
    private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);
    private final AtomicLong encodingErrors = new AtomicLong();

    /** Immutable result of configuration, published once by {@link #start()}. */
    private static final class Resolved {
        final byte[] identity;
        final PiiMasker masker;
        final boolean maskActive;
        final int epoch;

        Resolved(byte[] identity, PiiMasker masker, int epoch) {
            this.identity = identity;
            this.masker = masker;
            this.maskActive = masker.isActive();
            this.epoch = epoch;
        }
    }

    private static final class State {
        final JsonWriter w = new JsonWriter(1024);
        final IsoTimestamp ts = new IsoTimestamp();
        boolean busy;
    }

    @Override
    public void start() {
        resolved = resolve();
        super.start();
    }

    private Resolved resolve() {
        if (maxMessageLength < 16) {
            throw new IllegalArgumentException("maxMessageLength must be >= 16, got " + maxMessageLength);
        }
        if (maxFieldLength < 16) {
            throw new IllegalArgumentException("maxFieldLength must be >= 16, got " + maxFieldLength);
        }
        if (maxStackTraceLength < 16) {
            throw new IllegalArgumentException("maxStackTraceLength must be >= 16, got " + maxStackTraceLength);
        }
        // an explicit masker wins even when masking is off, as before
        PiiMasker m = maskingEnabled || masking.masker != null ? masking.build() : PiiMasker.none();
        ServiceIdentity id = ServiceIdentity.resolve(serviceName, serviceVersion, environment);
        JsonWriter w = new JsonWriter(128);
        w.rawAscii(ecs ? ",\"service.name\":" : ",\"service_name\":").string(id.name);
        if (id.version != null) {
            w.rawAscii(ecs ? ",\"service.version\":" : ",\"service_version\":").string(id.version);
        }
        if (id.environment != null) {
            w.rawAscii(ecs ? ",\"service.environment\":" : ",\"environment\":").string(id.environment);
        }
        return new Resolved(w.toByteArray(), m, id.resolvedAtEpoch);
    }

    private Resolved resolved() {
        Resolved r = resolved;
        if (r == null || r.epoch != ServiceIdentity.epoch()) {
            // not started yet (programmatic use), or core (re)started: resolve again
            r = resolve();
            resolved = r;
        }
        return r;
    }

    @Override
    public byte @Nullable [] headerBytes() {
        return null;
    }

    @Override
    public byte @Nullable [] footerBytes() {
        return null;
    }

    /** Encodes one event as a JSON line (terminated by {@code \n}). Never throws. */
    @Override
    public byte[] encode(ILoggingEvent event) {
        State s = acquire();
        try {
            fill(s, event);
            return s.w.toByteArray();
        } finally {
            s.busy = false;
        }
    }

    /** Writes one JSON line straight to {@code out}, without the intermediate {@code byte[]} copy. */
    public void encode(ILoggingEvent event, OutputStream out) throws IOException {
        State s = acquire();
        try {
            fill(s, event);
            s.w.writeTo(out);
        } finally {
            s.busy = false;
        }
    }

    /** Number of events whose encoding failed and were written as a minimal fallback line. */
    public long getEncodingErrors() {
        return encodingErrors.get();
    }

    private State acquire() {
        State s = state.get();
        if (s.busy) {
            // re-entrant call (a toString() that logs): use a private buffer
            s = new State();
        }
        s.busy = true;
        return s;
    }

    private void fill(State s, ILoggingEvent event) {
        Resolved r = resolved();
        JsonWriter w = s.w;
        w.reset();
        try {
            if (ecs) {
                writeEcs(w, s.ts, event, r);
            } else {
                writeMarty(w, s.ts, event, r);
            }
        } catch (RuntimeException | StackOverflowError e) {
            encodingErrors.incrementAndGet();
            InstrumentationErrors.current()
                    .record(InstrumentationErrors.LOGGING, "cannot encode a log event; wrote a fallback line", e);
            w.reset();
            w.raw((byte) '{').rawAscii(ecs ? "\"@timestamp\":" : "\"timestamp\":");
            s.ts.write(w, event.getTimeStamp());
            w.rawAscii(ecs ? ",\"log.level\":" : ",\"level\":").raw(level(event.getLevel()));
            w.raw(r.identity);
            w.rawAscii(ecs ? ",\"log.logger\":" : ",\"logger\":").string(event.getLoggerName());
            w.rawAscii(",\"message\":\"[log event could not be encoded: ")
                    .chars(e.getClass().getName(), 0, e.getClass().getName().length())
                    .rawAscii("]\"}\n");
        }
    }

    private void writeMarty(JsonWriter w, IsoTimestamp ts, ILoggingEvent e, Resolved r) {
        w.rawAscii("{\"timestamp\":");
        ts.write(w, e.getTimeStamp());
        w.rawAscii(",\"level\":").raw(level(e.getLevel()));
        w.raw(r.identity);
        w.rawAscii(",\"logger\":").string(e.getLoggerName());
        w.rawAscii(",\"thread\":").string(e.getThreadName());
        w.rawAscii(",\"message\":");
        text(w, r, e.getFormattedMessage(), maxMessageLength);
        w.rawAscii(",\"category\":").raw(CATEGORIES[category(e).ordinal()]);

        Map<String, String> mdc = e.getMDCPropertyMap();
        int found = 0;
        if (mdc != null && !mdc.isEmpty()) {
            for (int i = 0; i < ContextKeys.ALL.length; i++) {
                String v = mdc.get(ContextKeys.ALL[i]);
                if (v != null && !v.isEmpty()) {
                    w.rawAscii(found == 0 ? ",\"context\":{" : ",");
                    w.raw(MARTY_CONTEXT_KEYS[i]).string(v, maxFieldLength);
                    found++;
                }
            }
            if (found > 0) {
                w.raw((byte) '}');
            }
        }
        int before = w.size();
        w.rawAscii(",\"fields\":{");
        int opened = w.size();
        writeFields(w, e, r, mdc, found);
        if (w.size() == opened) {
            // nothing was written: drop the empty object again
            truncateTo(w, before);
        } else {
            w.raw((byte) '}');
        }
        IThrowableProxy tp = e.getThrowableProxy();
        if (tp != null) {
            w.rawAscii(",\"exception\":{\"type\":").string(tp.getClassName());
            if (tp.getMessage() != null) {
                w.rawAscii(",\"message\":");
                text(w, r, tp.getMessage(), maxFieldLength);
            }
            w.rawAscii(",\"stack\":");
            stack(w, r, tp);
            w.raw((byte) '}');
        }
        w.rawAscii("}\n");
    }

    private void writeEcs(JsonWriter w, IsoTimestamp ts, ILoggingEvent e, Resolved r) {
        w.rawAscii("{\"@timestamp\":");
        ts.write(w, e.getTimeStamp());
        w.rawAscii(",\"log.level\":").raw(level(e.getLevel()));
        w.rawAscii(",\"message\":");
        text(w, r, e.getFormattedMessage(), maxMessageLength);
        w.rawAscii(",\"ecs.version\":\"1.2.0\"");
        w.raw(r.identity);
        w.rawAscii(",\"log.logger\":").string(e.getLoggerName());
        w.rawAscii(",\"process.thread.name\":").string(e.getThreadName());
        w.rawAscii(",\"labels.category\":").raw(CATEGORIES[category(e).ordinal()]);
        Map<String, String> mdc = e.getMDCPropertyMap();
        int found = 0;
        if (mdc != null && !mdc.isEmpty()) {
            for (int i = 0; i < ContextKeys.ALL.length; i++) {
                String v = mdc.get(ContextKeys.ALL[i]);
                if (v != null && !v.isEmpty()) {
                    w.raw(ECS_CONTEXT_KEYS[i]).string(v, maxFieldLength);
                    found++;
                }
            }
        }
        // ECS loggers put custom fields at the top level
        writeFields(w, e, r, mdc, found);
        IThrowableProxy tp = e.getThrowableProxy();
        if (tp != null) {
            w.rawAscii(",\"error.type\":").string(tp.getClassName());
            if (tp.getMessage() != null) {
                w.rawAscii(",\"error.message\":");
                text(w, r, tp.getMessage(), maxFieldLength);
            }
            w.rawAscii(",\"error.stack_trace\":");
            stack(w, r, tp);
        }
        w.rawAscii("}\n");
    }

    /** Key-values, extra MDC entries and markers; each entry is preceded by a comma when needed. */
    private void writeFields(JsonWriter w, ILoggingEvent e, Resolved r, Map<String, String> mdc, int contextFound) {
        List<KeyValuePair> kvs = e.getKeyValuePairs();
        if (kvs != null) {
            for (int i = 0, n = kvs.size(); i < n; i++) {
                KeyValuePair kv = kvs.get(i);
                if (kv == null || kv.key == null || "category".equals(kv.key)) {
                    continue;
                }
                field(w, r, kv.key, kv.value);
            }
        }
        if (includeMdc && mdc != null && mdc.size() > contextFound) {
            for (Map.Entry<String, String> en : mdc.entrySet()) {
                if (!ContextKeys.isContextKey(en.getKey())) {
                    field(w, r, en.getKey(), en.getValue());
                }
            }
        }
        List<Marker> markers = e.getMarkerList();
        if (markers != null && !markers.isEmpty()) {
            boolean open = false;
            for (int i = 0, n = markers.size(); i < n; i++) {
                Marker m = markers.get(i);
                if (m == null || LogCategory.fromMarker(m) != null) {
                    continue;
                }
                if (!open) {
                    w.name(ecs ? "tags" : "markers").raw((byte) '[');
                    open = true;
                } else {
                    w.raw((byte) ',');
                }
                w.string(m.getName(), maxFieldLength);
            }
            if (open) {
                w.raw((byte) ']');
            }
        }
    }

    private void field(JsonWriter w, Resolved r, String key, Object value) {
        w.name(key);
        if (r.maskActive && r.masker.isSensitiveKey(key)) {
            w.string(r.masker.maskValue(value == null ? "" : safeToString(value)), maxFieldLength);
        } else {
            value(w, r, value, 0);
        }
    }

    private void value(JsonWriter w, Resolved r, Object v, int depth) {
        if (v == null) {
            w.rawAscii("null");
        } else if (v instanceof String) {
            text(w, r, (String) v, maxFieldLength);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            w.number(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            w.number(((Number) v).doubleValue());
        } else if (v instanceof Boolean) {
            w.rawAscii((Boolean) v ? "true" : "false");
        } else if (v instanceof BigDecimal || v instanceof BigInteger) {
            w.rawAscii(v.toString());
        } else if (v instanceof AtomicInteger || v instanceof AtomicLong) {
            w.number(((Number) v).longValue());
        } else if (v instanceof Enum) {
            w.string(((Enum<?>) v).name());
        } else if (depth >= MAX_DEPTH) {
            w.string("[too deep]");
        } else if (v instanceof Map) {
            w.raw((byte) '{');
            int items = 0;
            for (Map.Entry<?, ?> en : ((Map<?, ?>) v).entrySet()) {
                if (items++ == MAX_ITEMS) {
                    w.name("...").string("[truncated]");
                    break;
                }
                String k = safeToString(en.getKey());
                w.name(k);
                if (r.maskActive && r.masker.isSensitiveKey(k)) {
                    w.string(r.masker.maskValue(safeToString(en.getValue())), maxFieldLength);
                } else {
                    value(w, r, en.getValue(), depth + 1);
                }
            }
            w.raw((byte) '}');
        } else if (v instanceof Collection || v instanceof Object[]) {
            Iterable<?> it = v instanceof Collection ? (Collection<?>) v : Arrays.asList((Object[]) v);
            w.raw((byte) '[');
            int items = 0;
            for (Object o : it) {
                w.comma();
                if (items++ == MAX_ITEMS) {
                    w.string("[truncated]");
                    break;
                }
                value(w, r, o, depth + 1);
            }
            w.raw((byte) ']');
        } else {
            text(w, r, safeToString(v), maxFieldLength);
        }
    }

    private void text(JsonWriter w, Resolved r, String s, int max) {
        w.string(r.maskActive ? r.masker.maskText(s) : s, max);
    }

    private static String safeToString(Object o) {
        if (o == null) {
            return "null";
        }
        try {
            String s = o.toString();
            return s == null ? "null" : s;
        } catch (RuntimeException | StackOverflowError e) {
            return "[toString() failed: " + e.getClass().getName() + "]";
        }
    }

    /**
     * Writes the stack as one JSON string in {@link Throwable#printStackTrace()} layout, with causes,
     * suppressed exceptions and circular references marked, cut at {@link #setMaxStackTraceLength}.
     */
    private void stack(JsonWriter w, Resolved r, IThrowableProxy root) {
        w.raw((byte) '"');
        StackBudget budget = new StackBudget(maxStackTraceLength);
        IdentityHashMap<IThrowableProxy, Boolean> seen = new IdentityHashMap<>();
        throwable(w, r, root, "", "", budget, seen, 0);
        if (budget.exhausted) {
            w.rawAscii("\\n...[stack truncated]");
        }
        w.raw((byte) '"');
    }

    private static final class StackBudget {
        int left;
        int lines;
        boolean exhausted;

        StackBudget(int left) {
            this.left = left;
        }
    }

    private void throwable(
            JsonWriter w,
            Resolved r,
            IThrowableProxy tp,
            String caption,
            String indent,
            StackBudget b,
            IdentityHashMap<IThrowableProxy, Boolean> seen,
            int depth) {
        if (b.exhausted) {
            return;
        }
        String msg =
                tp.getMessage() == null ? null : (r.maskActive ? r.masker.maskText(tp.getMessage()) : tp.getMessage());
        String head = tp.getClassName() + (msg == null ? "" : ": " + msg);
        if (tp.isCyclic() || seen.put(tp, Boolean.TRUE) != null) {
            line(w, b, indent + caption + "[CIRCULAR REFERENCE: " + head + "]");
            return;
        }
        if (depth > MAX_CAUSES) {
            line(w, b, indent + caption + "[... more causes omitted]");
            return;
        }
        line(w, b, indent + caption + head);
        StackTraceElementProxy[] frames = tp.getStackTraceElementProxyArray();
        int common = tp.getCommonFrames();
        int shown = frames == null ? 0 : frames.length - common;
        for (int i = 0; i < shown && !b.exhausted; i++) {
            line(w, b, indent + "\tat " + frames[i].getSTEAsString().substring(3));
        }
        if (common > 0) {
            line(w, b, indent + "\t... " + common + " more");
        }
        IThrowableProxy[] suppressed = tp.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy s : suppressed) {
                throwable(w, r, s, "Suppressed: ", indent + "\t", b, seen, depth + 1);
            }
        }
        if (tp.getCause() != null) {
            throwable(w, r, tp.getCause(), "Caused by: ", indent, b, seen, depth + 1);
        }
    }

    private static void line(JsonWriter w, StackBudget b, String line) {
        if (b.exhausted) {
            return;
        }
        if (b.lines++ > 0) {
            w.rawAscii("\\n");
        }
        int n = Math.min(line.length(), b.left);
        if (n > 0 && n < line.length() && Character.isHighSurrogate(line.charAt(n - 1))) {
            n--;
        }
        w.chars(line, 0, n);
        b.left -= line.length() + 1;
        if (b.left <= 0) {
            b.exhausted = true;
        }
    }

    private static byte[] level(Level l) {
        if (l == null) {
            return LEVELS[2];
        }
        switch (l.levelInt) {
            case Level.TRACE_INT:
                return LEVELS[0];
            case Level.DEBUG_INT:
                return LEVELS[1];
            case Level.INFO_INT:
                return LEVELS[2];
            case Level.WARN_INT:
                return LEVELS[3];
            case Level.ERROR_INT:
                return LEVELS[4];
            default:
                return ascii("\"" + l.levelStr + "\"");
        }
    }

    private static LogCategory category(ILoggingEvent e) {
        List<Marker> markers = e.getMarkerList();
        if (markers != null) {
            for (int i = 0, n = markers.size(); i < n; i++) {
                LogCategory c = LogCategory.fromMarker(markers.get(i));
                if (c != null) {
                    return c;
                }
            }
        }
        List<KeyValuePair> kvs = e.getKeyValuePairs();
        if (kvs != null) {
            for (int i = 0, n = kvs.size(); i < n; i++) {
                KeyValuePair kv = kvs.get(i);
                if (kv != null && "category".equals(kv.key) && kv.value != null) {
                    LogCategory c = kv.value instanceof LogCategory
                            ? (LogCategory) kv.value
                            : LogCategory.fromLabel(kv.value.toString());
                    if (c != null) {
                        return c;
                    }
                }
            }
        }
        return e.getLevel() == Level.ERROR ? LogCategory.ERROR : LogCategory.APPLICATION;
    }

    private static void truncateTo(JsonWriter w, int size) {
        w.truncate(size);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] keys(String[] names, String prefix) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = ascii(prefix + '"' + names[i] + "\":");
        }
        return out;
    }

    // ---- Logback properties ---------------------------------------------------------------------

    /** Service name; default: core's config when started, else {@code OTEL_SERVICE_NAME}. */
    public void setServiceName(@Nullable String serviceName) {
        this.serviceName = serviceName;
    }

    /** Service version; default: {@code MMF_SERVICE_VERSION} / {@code SERVICE_VERSION}, else omitted. */
    public void setServiceVersion(@Nullable String serviceVersion) {
        this.serviceVersion = serviceVersion;
    }

    /** Deployment environment; default: {@code MMF_ENVIRONMENT} / {@code DEPLOYMENT_ENVIRONMENT}. */
    public void setEnvironment(@Nullable String environment) {
        this.environment = environment;
    }

    /** {@code marty} (default) or {@code ecs} (Elastic Common Schema field names). */
    public void setLayout(@Nullable String layout) {
        String l = layout == null ? "" : layout.trim().toLowerCase(Locale.ROOT);
        if (!l.equals("marty") && !l.equals("ecs")) {
            throw new IllegalArgumentException("layout must be 'marty' or 'ecs', got '" + layout + "'");
        }
        this.ecs = l.equals("ecs");
    }

    /** Messages longer than this many chars are cut with a {@code ...[truncated N chars]} marker. */
    public void setMaxMessageLength(int maxMessageLength) {
        this.maxMessageLength = maxMessageLength;
    }

    /** String field and context values longer than this many chars are cut with a marker. */
    public void setMaxFieldLength(int maxFieldLength) {
        this.maxFieldLength = maxFieldLength;
    }

    /** The stack trace text is cut after this many chars. */
    public void setMaxStackTraceLength(int maxStackTraceLength) {
        this.maxStackTraceLength = maxStackTraceLength;
    }

    /** Whether MDC entries other than the context keys go to {@code fields} (default true). */
    public void setIncludeMdc(boolean includeMdc) {
        this.includeMdc = includeMdc;
    }

    /** Turns masking off entirely (default on). */
    public void setMaskingEnabled(boolean maskingEnabled) {
        this.maskingEnabled = maskingEnabled;
    }

    @Override
    public MaskingSettings maskingSettings() {
        return masking;
    }
}
