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
import org.slf4j.MDC;

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
            CorrelationContext c = CorrelationContext.fromContext(context);
            CorrelationContext old = shown == null ? null : CorrelationContext.fromContext(shown);
            if (old != c) {
                boolean all = old == null;
                put(MdcKeys.CORRELATION_ID, c.correlationId(), all ? null : old.correlationId(), all);
                put(MdcKeys.REQUEST_ID, c.requestId(), all ? null : old.requestId(), all);
                put(MdcKeys.PARENT_REQUEST_ID, c.parentRequestId(), all ? null : old.parentRequestId(), all);
                put(MdcKeys.USER_ID, c.userId(), all ? null : old.userId(), all);
                put(MdcKeys.SESSION_ID, c.sessionId(), all ? null : old.sessionId(), all);
                put(MdcKeys.OPERATION_ID, c.operationId(), all ? null : old.operationId(), all);
                put(MdcKeys.PLUGIN_ID, c.pluginId(), all ? null : old.pluginId(), all);
            }
            SpanContext sc = spanContext(context);
            SpanContext oldSc = shown == null ? null : spanContext(shown);
            if (oldSc == null || !sc.equals(oldSc)) {
                boolean all = oldSc == null;
                if (sc.isValid()) {
                    MDC.put(MdcKeys.TRACE_ID, sc.getTraceId());
                    MDC.put(MdcKeys.SPAN_ID, sc.getSpanId());
                } else if (all || oldSc.isValid()) {
                    MDC.remove(MdcKeys.TRACE_ID);
                    MDC.remove(MdcKeys.SPAN_ID);
                }
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

    private static void put(String key, String value, String shownValue, boolean always) {
        if (!always && value == shownValue) {
            return;
        }
        put(key, value);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
