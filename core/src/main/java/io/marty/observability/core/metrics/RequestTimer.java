package io.marty.observability.core.metrics;

import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * One in-flight request started by {@link RedMetrics#start}. Exactly one {@code end} call records
 * it (later calls are ignored, so racing completion paths are safe). Never throws.
 *
 * <pre>{@code
 * RequestTimer t = red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}");
 * try { ...; t.end("200", Outcome.SUCCESS); }
 * catch (RuntimeException e) { t.end("500", Outcome.SERVER_ERROR, e.getClass().getSimpleName()); throw e; }
 * }</pre>
 */
public final class RequestTimer {
    private static final AtomicIntegerFieldUpdater<RequestTimer> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(RequestTimer.class, "ended");

    private final RedMetrics.Route route;
    private final long startNanos;
    private final SpanContext spanContext;
    private final boolean correlated;
    private volatile int ended;

    RequestTimer(RedMetrics.Route route, long startNanos, SpanContext spanContext, boolean correlated) {
        this.route = route;
        this.startNanos = startNanos;
        this.spanContext = spanContext;
        this.correlated = correlated;
    }

    /** Records the request with this status and outcome. */
    public void end(@Nullable String status, Outcome outcome) {
        end(status, outcome, null);
    }

    /**
     * Records the request; a non-null {@code errorType} (or a server-error outcome) also counts
     * {@code mmf_errors_total}.
     */
    public void end(@Nullable String status, Outcome outcome, @Nullable String errorType) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return;
        }
        if (route != null) {
            route.finish(this, status, outcome, errorType, (System.nanoTime() - startNanos) / 1e9);
        }
    }

    /** Seconds since start. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Whether {@code end} was called. */
    public boolean isEnded() {
        return ended != 0;
    }

    SpanContext spanContext() {
        return spanContext;
    }

    boolean correlated() {
        return correlated;
    }
}
