package io.marty.observability.spring.boot.internal;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context-propagation library (and with it Reactor's automatic context
 * propagation) restore the OpenTelemetry context, and so the correlation context and the MDC
 * view, on whichever thread an operator runs. Reactor reads the value under {@link
 * ReactorContexts#KEY} from the subscriber context and sets it around each signal; the scopes
 * opened here are closed in reverse order when Reactor restores the previous value.
 */
public final class OtelContextAccessor implements ThreadLocalAccessor<Context> {

    private static final ThreadLocal<Deque<Scope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

    /** Registers the accessor once per JVM (the registry is global). */
    public static void registerOnce() {
        ContextRegistry registry = ContextRegistry.getInstance();
        for (ThreadLocalAccessor<?> accessor : registry.getThreadLocalAccessors()) {
            if (ReactorContexts.KEY.equals(accessor.key())) {
                return;
            }
        }
        registry.registerThreadLocalAccessor(new OtelContextAccessor());
    }

    @Override
    public Object key() {
        return ReactorContexts.KEY;
    }

    @Override
    public @Nullable Context getValue() {
        Context current = Context.current();
        return current == Context.root() ? null : current;
    }

    @Override
    public void setValue(Context value) {
        SCOPES.get().push(value.makeCurrent());
    }

    @Override
    public void setValue() {
        SCOPES.get().push(Context.root().makeCurrent());
    }

    @Override
    public void restore(Context previousValue) {
        closeLatest();
    }

    @Override
    public void restore() {
        closeLatest();
    }

    private static void closeLatest() {
        Scope scope = SCOPES.get().poll();
        if (scope != null) {
            scope.close();
        }
    }
}
