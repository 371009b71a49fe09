package io.marty.observability.grpc.internal;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.marty.observability.core.metrics.RequestTimer;
import io.marty.observability.grpc.GrpcOutcomes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One instrumented RPC (server or client side): span with RPC semantic-convention attributes and
 * RED timer. {@link #end} is idempotent and never throws. Internal: not a stable API.
 */
public final class RpcExchange {

    private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
    private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
    private static final AttributeKey<Long> RPC_GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AtomicIntegerFieldUpdater<RpcExchange> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(RpcExchange.class, "ended");

    private final Context context;
    private final Span span;
    private final RequestTimer timer;
    private final boolean server;
    private final InstrumentationErrors errors;
    private volatile int ended;

    private RpcExchange(Context context, Span span, RequestTimer timer, boolean server, InstrumentationErrors errors) {
        this.context = context;
        this.span = span;
        this.timer = timer;
        this.server = server;
        this.errors = errors;
    }

    /**
     * Starts a span (child of {@code parent}) and a RED timer whose {@code method} and {@code route}
     * labels are both the full method name ({@code package.Service/Method}, a bounded set). Throws
     * when the instrumentation fails: the interceptors catch it, {@link #recordFailure record} it
     * and run the call uninstrumented.
     */
    public static RpcExchange start(
            MartyObservability observability,
            Tracer tracer,
            MethodDescriptor<?, ?> method,
            Context parent,
            boolean server) {
        String fullMethod = method.getFullMethodName();
        SpanBuilder builder = tracer.spanBuilder(fullMethod)
                .setParent(parent)
                .setSpanKind(server ? SpanKind.SERVER : SpanKind.CLIENT);
        // Marty's samplers (ratio, parent-based) never read attributes: at sampling 1.0 they go on the
        // builder (no lock per attribute), below it only on a span that records. Correlation attributes
        // come from CorrelationSpanProcessor (the parent holds them)
        boolean everySpanRecords = observability.config().sampleRate() >= 1.0;
        if (everySpanRecords) {
            setAttributes(builder, null, method);
        }
        Span span = builder.startSpan();
        if (!everySpanRecords && span.isRecording()) {
            setAttributes(null, span, method);
        }
        Context context = parent.with(span);
        RequestTimer timer = observability
                .metrics()
                .red()
                .route(Protocol.GRPC, server ? Direction.SERVER : Direction.CLIENT, fullMethod, fullMethod)
                .start(context);
        return new RpcExchange(
                context, span, timer, server, observability.metrics().instrumentationErrors());
    }

    /**
     * Whether the span records (is sampled): callers compute attribute values such as the server
     * address only then.
     */
    public boolean isRecording() {
        return span.isRecording();
    }

    /** Sets {@code server.address} on the span when {@code address} is non-empty. */
    public void setServerAddress(String address) {
        setIfPresent(null, span, SERVER_ADDRESS, address);
    }

    /** Counts and logs (throttled) a failure of the gRPC instrumentation of one side. */
    public static void recordFailure(MartyObservability observability, boolean server, String what, Throwable e) {
        observability
                .metrics()
                .instrumentationErrors()
                .record(server ? InstrumentationErrors.GRPC_SERVER : InstrumentationErrors.GRPC_CLIENT, what, e);
    }

    private String component() {
        return server ? InstrumentationErrors.GRPC_SERVER : InstrumentationErrors.GRPC_CLIENT;
    }

    /** Sets the RPC attributes on {@code builder}, or on {@code span} when the builder is null. */
    private static void setAttributes(SpanBuilder builder, Span span, MethodDescriptor<?, ?> method) {
        setIfPresent(builder, span, RPC_SYSTEM, "grpc");
        setIfPresent(builder, span, RPC_SERVICE, method.getServiceName());
        setIfPresent(builder, span, RPC_METHOD, method.getBareMethodName());
    }

    private static void setIfPresent(SpanBuilder builder, Span span, AttributeKey<String> key, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (builder != null) {
            builder.setAttribute(key, value);
        } else {
            span.setAttribute(key, value);
        }
    }

    /** The context holding this call's span and correlation. */
    public Context context() {
        return context;
    }

    /** Whether {@link #end} ran. */
    public boolean isEnded() {
        return ended != 0;
    }

    /** Ends span and timer once with the final status. */
    public void end(Status status, Throwable error) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return;
        }
        // inside the interceptors' scope this attach is a no-op (the storage skips an attach of
        // the current context); other completions arrive on other threads and need it
        try (Scope ignored = context.makeCurrent()) {
            Status.Code code = status == null ? Status.Code.UNKNOWN : status.getCode();
            Outcome outcome = GrpcOutcomes.outcomeOf(code);
            span.setAttribute(RPC_GRPC_STATUS, (long) code.value());
            Throwable cause = error != null ? error : status == null ? null : status.getCause();
            if (cause != null) {
                span.recordException(cause);
            }
            if (code == Status.Code.OK) {
                timer.end(code.name(), outcome);
            } else {
                span.setAttribute(ERROR_TYPE, code.name());
                // server spans: only server errors are span errors; client spans: any non-OK
                if (!server || outcome == Outcome.SERVER_ERROR) {
                    String description = status == null ? null : status.getDescription();
                    span.setStatus(StatusCode.ERROR, description == null ? code.name() : description);
                }
                timer.end(code.name(), outcome, code.name());
            }
            span.end();
        } catch (RuntimeException e) {
            errors.record(component(), "cannot end the RPC span", e);
        }
    }
}
