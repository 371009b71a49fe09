package io.marty.observability.spring.boot.internal;

import io.opentelemetry.context.Context;
import reactor.util.context.ContextView;

/** Where the request's OpenTelemetry {@link Context} travels in a Reactor pipeline. */
public final class ReactorContexts {

    /** Key of the OpenTelemetry context in the Reactor context. */
    public static final String KEY = "marty.otel.context";

    private ReactorContexts() {}

    /** The context the pipeline carries, else the thread's current one. */
    public static Context of(ContextView view) {
        Object value = view.getOrDefault(KEY, null);
        return value instanceof Context context ? context : Context.current();
    }
}
