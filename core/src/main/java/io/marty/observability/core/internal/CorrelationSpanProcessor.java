package io.marty.observability.core.internal;

import io.marty.observability.core.correlation.ContextFields;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.tracing.CorrelationAttributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Internal, unstable. Copies the parent context's correlation dimensions and {@link ContextFields}
 * onto every new span.
 */
public final class CorrelationSpanProcessor implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        CorrelationContext c = CorrelationContext.fromContext(parentContext);
        if (!c.isEmpty()) {
            CorrelationAttributes.apply(span, c);
        }
        if (ContextFields.inUse()) {
            ContextFields f = ContextFields.fromContext(parentContext);
            if (f != null) {
                String prefix = f.spanAttributePrefix();
                f.forEach((k, v) -> span.setAttribute(prefix + k, v));
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
        return false;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
