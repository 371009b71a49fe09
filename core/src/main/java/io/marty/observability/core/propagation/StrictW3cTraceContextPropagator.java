package io.marty.observability.core.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A W3C Trace Context Level 2 propagator that applies every processing rule of the spec, where
 * OpenTelemetry's {@code W3CTraceContextPropagator} differs: a {@code tracestate} with a bad member
 * or more than 32 members is discarded as a whole, empty list members are skipped, keys follow the
 * Level 2 grammar (up to 256 characters of {@code a-z 0-9 _ - * / @}, starting with a letter or
 * digit, so {@code foo@} and {@code foo@bar@baz} are kept), a repeated key keeps its first entry
 * and the rest of the list, several {@code tracestate} header lines are combined in order, and more
 * than one {@code traceparent} line starts a new trace. Rejected headers are counted, never
 * thrown.
 *
 * <pre>{@code
 * ContextPropagators propagators = ContextPropagators.create(TextMapPropagator.composite(
 *     StrictW3cTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
 * }</pre>
 *
 * <p>Getters should implement {@link TextMapGetter#getAll} so that repeated header lines are seen.
 */
public final class StrictW3cTraceContextPropagator implements TextMapPropagator {

    /** The {@code traceparent} header name. */
    public static final String TRACEPARENT = "traceparent";

    /** The {@code tracestate} header name. */
    public static final String TRACESTATE = "tracestate";

    private static final List<String> FIELDS = List.of(TRACEPARENT, TRACESTATE);

    private static final StrictW3cTraceContextPropagator INSTANCE = new StrictW3cTraceContextPropagator();

    private final LongAdder rejectedTraceparents = new LongAdder();
    private final LongAdder rejectedTracestates = new LongAdder();

    private StrictW3cTraceContextPropagator() {}

    /** Returns the process-wide instance. */
    public static StrictW3cTraceContextPropagator getInstance() {
        return INSTANCE;
    }

    @Override
    public Collection<String> fields() {
        return FIELDS;
    }

    @Override
    public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
        if (context == null || setter == null) {
            return;
        }
        SpanContext spanContext = Span.fromContext(context).getSpanContext();
        if (!spanContext.isValid()) {
            return;
        }
        setter.set(carrier, TRACEPARENT, TraceContextCodec.formatTraceparent(spanContext));
        String traceState = TraceContextCodec.formatTracestate(spanContext.getTraceState());
        if (!traceState.isEmpty()) {
            setter.set(carrier, TRACESTATE, traceState);
        }
    }

    @Override
    public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
        if (context == null) {
            context = Context.root();
        }
        if (getter == null) {
            return context;
        }
        Iterator<String> parents = getter.getAll(carrier, TRACEPARENT);
        if (parents == null || !parents.hasNext()) {
            return context;
        }
        String traceparent = parents.next();
        if (parents.hasNext()) {
            // two traceparent lines: the spec asks to restart the trace
            rejectedTraceparents.increment();
            return context;
        }
        SpanContext parsed = TraceContextCodec.parseTraceparent(traceparent);
        if (parsed == null) {
            rejectedTraceparents.increment();
            return context;
        }
        TraceState traceState = TraceContextCodec.parseTracestate(joinTracestate(getter.getAll(carrier, TRACESTATE)));
        if (traceState == null) {
            rejectedTracestates.increment();
            traceState = TraceState.getDefault();
        }
        SpanContext remote = traceState.isEmpty()
                ? parsed
                : SpanContext.createFromRemoteParent(
                        parsed.getTraceId(), parsed.getSpanId(), parsed.getTraceFlags(), traceState);
        return context.with(Span.wrap(remote));
    }

    /** Number of {@code traceparent} values rejected since start (the trace was restarted). */
    public long rejectedTraceparents() {
        return rejectedTraceparents.sum();
    }

    /** Number of {@code tracestate} values discarded since start. */
    public long rejectedTracestates() {
        return rejectedTracestates.sum();
    }

    @Override
    public String toString() {
        return "StrictW3cTraceContextPropagator";
    }

    private static String joinTracestate(Iterator<String> lines) {
        if (lines == null || !lines.hasNext()) {
            return null;
        }
        String first = lines.next();
        if (!lines.hasNext()) {
            return first;
        }
        StringBuilder joined = new StringBuilder(first == null ? "" : first);
        while (lines.hasNext()) {
            String next = lines.next();
            joined.append(',').append(next == null ? "" : next);
        }
        return joined.toString();
    }
}
