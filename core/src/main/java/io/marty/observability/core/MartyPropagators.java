package io.marty.observability.core;

import io.marty.observability.core.correlation.MmfPropagator;
import io.marty.observability.core.propagation.StrictW3cTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where Marty's propagators are assembled: W3C TraceContext, W3C Baggage, {@link
 * MmfPropagator} ({@code X-MMF-*}) and, when configured, B3.
 *
 * <pre>{@code
 * TextMapPropagator p = MartyPropagators.create(config).getTextMapPropagator();
 * }</pre>
 */
public final class MartyPropagators {

    private MartyPropagators() {}

    /** The propagators for {@code config}. */
    public static ContextPropagators create(ObservabilityConfig config) {
        return ContextPropagators.create(textMapPropagator(config.b3Propagation(), config.b3MultiHeader()));
    }

    /** The default composite (no B3). */
    public static TextMapPropagator defaultTextMapPropagator() {
        return textMapPropagator(false, false);
    }

    /** The composite: trace context, baggage, MMF headers, optionally B3 (single or multi header). */
    public static TextMapPropagator textMapPropagator(boolean b3, boolean b3MultiHeader) {
        List<TextMapPropagator> list = new ArrayList<>(4);
        list.add(traceContext());
        list.add(W3CBaggagePropagator.getInstance());
        list.add(MmfPropagator.getInstance());
        if (b3) {
            list.add(b3MultiHeader ? B3Propagator.injectingMultiHeaders() : B3Propagator.injectingSingleHeader());
        }
        return TextMapPropagator.composite(list);
    }

    /** The W3C Trace Context propagator in use (the only line to change to swap implementations). */
    public static TextMapPropagator traceContext() {
        return StrictW3cTraceContextPropagator.getInstance();
    }
}
