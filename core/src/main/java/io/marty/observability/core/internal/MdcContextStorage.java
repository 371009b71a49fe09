package io.marty.observability.core.internal;

import io.marty.observability.core.correlation.ContextFields;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MdcKeys;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Field;
import java.util.Map;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * Internal, unstable. A {@link ContextStorage} wrapper that keeps the SLF4J MDC a view of the
 * current context: on attach it writes the correlation dimensions and trace/span ids of the attached
 * context; when the scope closes it rewrites them from the context that becomes current again.
 * Installed through the {@code ContextStorageProvider} SPI (works whatever the first use of OTel
 * context is) and, as a fallback, through {@link ContextStorage#addWrapper}.
 */
public final class MdcContextStorage implements ContextStorage {

    private final ContextStorage delegate;

    MdcContextStorage(ContextStorage delegate) {
        this.delegate = delegate;
    }

    /** Wraps {@code storage} unless it already is an MDC-syncing storage. */
    public static ContextStorage wrap(ContextStorage storage) {
        return storage instanceof MdcContextStorage ? storage : new MdcContextStorage(storage);
    }

    /** Registers the wrapper with OTel (no-op when the storage is already initialised). */
    public static void install() {
        Holder.ensureInstalled();
    }

    /**
     * Whether the MDC view is active in this JVM, checked by attaching a probe context (not for hot
     * paths).
     */
    public static boolean isActive() {
        install();
        String probe = "mdc-probe-" + System.nanoTime();
        String before = MDC.get(MdcKeys.CORRELATION_ID);
        try (Scope ignored = Context.current()
                .with(CorrelationContext.builder().correlationId(probe).build())
                .makeCurrent()) {
            return probe.equals(MDC.get(MdcKeys.CORRELATION_ID));
        } finally {
            if (before != null && !before.equals(MDC.get(MdcKeys.CORRELATION_ID))) {
                MDC.put(MdcKeys.CORRELATION_ID, before);
            }
        }
    }

    /** Installs once, on first use, through class initialisation (thread-safe by the JVM). */
    private static final class Holder {
        static {
            ContextStorage.addWrapper(MdcContextStorage::wrap);
            wrapSettableTestStorage();
        }

        static void ensureInstalled() {
            // the static initialiser above has run by the time this returns
        }

        /**
         * OTel's sdk-testing ships a {@code ContextStorageProvider} that always wins over ours; when
         * it is on the classpath (tests of every module using {@code InMemorySpanExporter}), wrap the
         * storage it delegates to. Reflection runs once, at installation.
         */
        private static void wrapSettableTestStorage() {
            try {
                Class<?> c = Class.forName("io.opentelemetry.sdk.testing.context.SettableContextStorageProvider");
                ContextStorage current =
                        (ContextStorage) c.getMethod("getContextStorage").invoke(null);
                c.getMethod("setContextStorage", ContextStorage.class).invoke(null, wrap(current));
            } catch (ClassNotFoundException e) {
                // normal outside tests
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                java.util.logging.Logger.getLogger(MdcContextStorage.class.getName())
                        .fine("cannot wrap the sdk-testing context storage: " + e);
            }
        }
    }

    @Override
    public Scope attach(Context toAttach) {
        Context before = delegate.current();
        Scope scope = delegate.attach(toAttach);
        if (before == toAttach || sameView(before, toAttach)) {
            return scope;
        }
        writeMdc(toAttach, before);
        return () -> {
            scope.close();
            // normally 'before' is current again; write only what differs from the closed view
            writeMdc(delegate.current(), toAttach);
        };
    }

    @Override
    public Context current() {
        return delegate.current();
    }

    @Override
    public Context root() {
        return delegate.root();
    }

    private static boolean sameView(Context a, Context b) {
        if (a == null || b == null) {
            return false;
        }
        return CorrelationContext.fromContext(a) == CorrelationContext.fromContext(b)
                && Span.fromContext(a).getSpanContext() == Span.fromContext(b).getSpanContext()
                && ContextFields.fromContext(a) == ContextFields.fromContext(b);
    }

    /**
     * Makes the MDC the view of {@code context}, given that it currently is the view of {@code
     * shown} (null: unknown, rewrite every key). Keys whose value is the same object in both views
     * are left alone: one request's attach and detach then cost a put and a remove per present
     * dimension instead of nine writes each.
     */
    static void writeMdc(Context context, Context shown) {
        try {
            // with Logback, the thread's map itself (null: go through the MDC API)
            Map<String, String> map = LogbackMdc.writableMap();
            int writes = 0;
            CorrelationContext c = CorrelationContext.fromContext(context);
            CorrelationContext old = shown == null ? null : CorrelationContext.fromContext(shown);
            if (old != c) {
                boolean all = old == null;
                writes += put(map, MdcKeys.CORRELATION_ID, c.correlationId(), all ? null : old.correlationId(), all);
                writes += put(map, MdcKeys.REQUEST_ID, c.requestId(), all ? null : old.requestId(), all);
                writes += put(
                        map, MdcKeys.PARENT_REQUEST_ID, c.parentRequestId(), all ? null : old.parentRequestId(), all);
                writes += put(map, MdcKeys.USER_ID, c.userId(), all ? null : old.userId(), all);
                writes += put(map, MdcKeys.SESSION_ID, c.sessionId(), all ? null : old.sessionId(), all);
                writes += put(map, MdcKeys.OPERATION_ID, c.operationId(), all ? null : old.operationId(), all);
                writes += put(map, MdcKeys.PLUGIN_ID, c.pluginId(), all ? null : old.pluginId(), all);
            }
            SpanContext sc = spanContext(context);
            SpanContext oldSc = shown == null ? null : spanContext(shown);
            if (oldSc == null || !sc.equals(oldSc)) {
                boolean all = oldSc == null;
                if (sc.isValid()) {
                    writes += put(map, MdcKeys.TRACE_ID, sc.getTraceId());
                    writes += put(map, MdcKeys.SPAN_ID, sc.getSpanId());
                } else if (all || oldSc.isValid()) {
                    writes += put(map, MdcKeys.TRACE_ID, null);
                    writes += put(map, MdcKeys.SPAN_ID, null);
                }
            }
            if (map != null && writes > 0) {
                LogbackMdc.changed();
            }
            if (ContextFields.inUse()) {
                writeFields(
                        ContextFields.fromContext(context), shown == null ? null : ContextFields.fromContext(shown));
            }
        } catch (RuntimeException e) {
            // a broken MDC adapter must never break context propagation
            InstrumentationErrors.current().record(InstrumentationErrors.CONTEXT, "cannot update the MDC view", e);
        }
    }

    /** Removes the keys of {@code old} that {@code now} lacks and puts the values of {@code now}. */
    private static void writeFields(ContextFields now, ContextFields old) {
        if (now == old) {
            return;
        }
        if (old != null) {
            for (String k : old.values().keySet()) {
                if (now == null || !now.values().containsKey(k)) {
                    MDC.remove(k);
                }
            }
        }
        if (now != null) {
            now.forEach(MDC::put);
        }
    }

    private static SpanContext spanContext(Context context) {
        return context == null
                ? SpanContext.getInvalid()
                : Span.fromContext(context).getSpanContext();
    }

    private static int put(Map<String, String> map, String key, String value, String shownValue, boolean always) {
        if (!always && value == shownValue) {
            return 0;
        }
        return put(map, key, value);
    }

    /** Puts or (null value) removes {@code key}; answers 1 when {@code map} was changed. */
    private static int put(Map<String, String> map, String key, String value) {
        if (map == null) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
            return 0;
        }
        if (value == null) {
            return map.remove(key) == null ? 0 : 1;
        }
        map.put(key, value);
        return 1;
    }

    /**
     * Direct access to Logback's MDC map of the current thread. Each {@code MDC.put} / {@code
     * remove} through Logback's adapter reads one thread-local (the writable map) and clears
     * another (the read-only copy that logging events take); a view change of four keys costs
     * eight of each. Writing the map directly and clearing the copy once gives the same state for
     * one of each. The two thread-locals are found by reflection once and checked with a probe
     * key; any other adapter (or subclass), a Logback whose internals differ, or a module system
     * that denies access keeps the MDC API.
     */
    static final class LogbackMdc {
        private static final String ADAPTER = "ch.qos.logback.classic.util.LogbackMDCAdapter";
        private static final ThreadLocal<Map<String, String>> WRITABLE;
        private static final ThreadLocal<Map<String, String>> READ_ONLY;

        static {
            ThreadLocal<Map<String, String>> writable = null;
            ThreadLocal<Map<String, String>> readOnly = null;
            try {
                MDCAdapter adapter = MDC.getMDCAdapter();
                if (adapter != null && adapter.getClass().getName().equals(ADAPTER)) {
                    writable = threadLocal(adapter, "readWriteThreadLocalMap");
                    readOnly = threadLocal(adapter, "readOnlyThreadLocalMap");
                    if (!works(adapter, writable, readOnly)) {
                        writable = null;
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                writable = null;
                java.util.logging.Logger.getLogger(MdcContextStorage.class.getName())
                        .fine("Logback MDC map not accessible, using the MDC API: " + e);
            }
            WRITABLE = writable;
            READ_ONLY = writable == null ? null : readOnly;
        }

        private LogbackMdc() {}

        /** Whether writes go to Logback's map directly. */
        static boolean direct() {
            return WRITABLE != null;
        }

        /** This thread's writable MDC map, or null: use the MDC API (other adapter, no map yet). */
        static Map<String, String> writableMap() {
            return WRITABLE == null ? null : WRITABLE.get();
        }

        /** After direct writes: logging events must copy the map again. */
        static void changed() {
            READ_ONLY.set(null);
        }

        @SuppressWarnings("unchecked")
        private static ThreadLocal<Map<String, String>> threadLocal(MDCAdapter adapter, String field)
                throws ReflectiveOperationException {
            Field f = adapter.getClass().getDeclaredField(field);
            f.setAccessible(true);
            Object value = f.get(adapter);
            if (!(value instanceof ThreadLocal)) {
                throw new NoSuchFieldException(field + " is not a ThreadLocal");
            }
            return (ThreadLocal<Map<String, String>>) value;
        }

        /** Writes a probe key directly and checks that the MDC API and a logging event's copy see it. */
        private static boolean works(
                MDCAdapter adapter,
                ThreadLocal<Map<String, String>> writable,
                ThreadLocal<Map<String, String>> readOnly) {
            String key = "mmf-mdc-probe";
            String before = MDC.get(key);
            try {
                MDC.put(key, "api");
                Map<String, String> copy = adapter.getCopyOfContextMap();
                Map<String, String> map = writable.get();
                if (copy == null || !"api".equals(copy.get(key)) || map == null) {
                    return false;
                }
                map.put(key, "direct");
                readOnly.set(null);
                copy = adapter.getCopyOfContextMap();
                return "direct".equals(MDC.get(key)) && copy != null && "direct".equals(copy.get(key));
            } finally {
                if (before == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, before);
                }
            }
        }
    }
}
