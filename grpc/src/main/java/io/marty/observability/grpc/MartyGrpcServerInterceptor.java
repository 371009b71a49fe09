package io.marty.observability.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.grpc.internal.GrpcCarriers;
import io.marty.observability.grpc.internal.RpcExchange;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Server interceptor for all four call kinds: extracts W3C and {@code x-mmf-*} metadata, makes
 * sure correlation and request ids exist, opens a server span with RPC semantic-convention
 * attributes, records RED metrics ({@code protocol="grpc"}, status = gRPC status name, outcome by
 * {@link GrpcOutcomes}), echoes {@code x-mmf-correlation-id} and {@code x-mmf-request-id} in the
 * response headers (or trailers of a trailers-only response), and makes the context current only
 * while the application's callbacks run, so nothing stays attached to gRPC's threads — also on
 * cancellation and deadline expiry.
 *
 * <pre>{@code
 * Server server = NettyServerBuilder.forPort(9090)
 *     .addService(ServerInterceptors.intercept(new PaymentService(),
 *         MartyGrpcServerInterceptor.create(observability)))
 *     .build().start();
 * }</pre>
 */
public final class MartyGrpcServerInterceptor implements ServerInterceptor {

    /** Services excluded by default: gRPC health checking and reflection. */
    public static final List<String> DEFAULT_EXCLUDED_SERVICES = List.of(
            "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection");

    private static final String INSTRUMENTATION = "io.marty.observability.grpc";
    private static final Metadata.Key<String> CORRELATION_KEY = GrpcCarriers.key(MmfHeaders.CORRELATION_ID);
    private static final Metadata.Key<String> REQUEST_KEY = GrpcCarriers.key(MmfHeaders.REQUEST_ID);

    private final MartyObservability observability;
    private final Tracer tracer;
    private final Set<String> excludedServices;

    private MartyGrpcServerInterceptor(MartyObservability observability, Set<String> excludedServices) {
        this.observability = observability;
        this.tracer = observability.openTelemetry().getTracer(INSTRUMENTATION);
        this.excludedServices = excludedServices;
    }

    /** An interceptor reporting to {@code observability}, excluding {@link #DEFAULT_EXCLUDED_SERVICES}. */
    public static MartyGrpcServerInterceptor create(MartyObservability observability) {
        return new MartyGrpcServerInterceptor(
                Objects.requireNonNull(observability, "observability"), Set.copyOf(DEFAULT_EXCLUDED_SERVICES));
    }

    /** An interceptor excluding the given fully-qualified service names (replaces the defaults). */
    public static MartyGrpcServerInterceptor create(MartyObservability observability, Set<String> excludedServices) {
        return new MartyGrpcServerInterceptor(
                Objects.requireNonNull(observability, "observability"), Set.copyOf(excludedServices));
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (service != null && excludedServices.contains(service)) {
            return next.startCall(call, headers);
        }
        RpcExchange exchange;
        TracingServerCall<ReqT, RespT> tracingCall;
        try {
            Context extracted = observability
                    .openTelemetry()
                    .getPropagators()
                    .getTextMapPropagator()
                    .extract(Context.root(), headers, GrpcCarriers.GETTER);
            CorrelationContext correlation = CorrelationContext.fromContext(extracted);
            if (correlation.correlationId() == null || correlation.requestId() == null) {
                correlation = correlation.newChild();
                extracted = extracted.with(correlation);
            }
            exchange = RpcExchange.start(observability, tracer, call.getMethodDescriptor(), extracted, true);
            if (exchange.isRecording()) {
                exchange.setServerAddress(serverAddress(call));
            }
            tracingCall = new TracingServerCall<>(call, exchange, correlation);
        } catch (RuntimeException e) {
            RpcExchange.recordFailure(observability, true, "cannot start the server span", e);
            return next.startCall(call, headers);
        }
        ServerCall.Listener<ReqT> listener;
        try (Scope ignored = exchange.context().makeCurrent()) {
            listener = next.startCall(tracingCall, headers);
        } catch (RuntimeException | Error e) {
            exchange.end(Status.UNKNOWN.withCause(e), e);
            throw e;
        }
        return new TracingListener<>(listener, exchange, tracingCall);
    }

    private static String serverAddress(ServerCall<?, ?> call) {
        String authority = call.getAuthority();
        if (authority != null) {
            return authority;
        }
        SocketAddress local = call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
        return local == null ? null : local.toString();
    }

    private static final class TracingServerCall<ReqT, RespT>
            extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
        private final RpcExchange exchange;
        private final CorrelationContext correlation;
        private volatile boolean headersSent;
        volatile Status closedWith;

        TracingServerCall(ServerCall<ReqT, RespT> delegate, RpcExchange exchange, CorrelationContext correlation) {
            super(delegate);
            this.exchange = exchange;
            this.correlation = correlation;
        }

        private void addIds(Metadata metadata) {
            metadata.discardAll(CORRELATION_KEY);
            metadata.put(CORRELATION_KEY, correlation.correlationId());
            metadata.discardAll(REQUEST_KEY);
            metadata.put(REQUEST_KEY, correlation.requestId());
        }

        @Override
        public void sendHeaders(Metadata headers) {
            addIds(headers);
            headersSent = true;
            super.sendHeaders(headers);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (!headersSent) {
                addIds(trailers); // trailers-only response: the ids travel there
            }
            // the call ends in onComplete (sent) or onCancel (deadline, client gone): a handler
            // that closes with OK after the client left must not be recorded as OK
            closedWith = status;
            super.close(status, trailers);
        }
    }

    /** Runs every callback with the call's context current, and only then. */
    private static final class TracingListener<ReqT>
            extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
        private final RpcExchange exchange;
        private final TracingServerCall<ReqT, ?> call;

        TracingListener(ServerCall.Listener<ReqT> delegate, RpcExchange exchange, TracingServerCall<ReqT, ?> call) {
            super(delegate);
            this.exchange = exchange;
            this.call = call;
        }

        @Override
        public void onMessage(ReqT message) {
            try (Scope ignored = exchange.context().makeCurrent()) {
                super.onMessage(message);
            } catch (RuntimeException | Error e) {
                exchange.end(failureStatus(e), e);
                throw e;
            }
        }

        @Override
        public void onHalfClose() {
            try (Scope ignored = exchange.context().makeCurrent()) {
                super.onHalfClose();
            } catch (RuntimeException | Error e) {
                exchange.end(failureStatus(e), e);
                throw e;
            }
        }

        @Override
        public void onCancel() {
            try (Scope ignored = exchange.context().makeCurrent()) {
                try {
                    super.onCancel();
                } finally {
                    exchange.end(cancelStatus(), null); // inside the scope: no second attach
                }
            }
        }

        @Override
        public void onComplete() {
            try (Scope ignored = exchange.context().makeCurrent()) {
                try {
                    super.onComplete();
                } finally {
                    Status closed = call.closedWith;
                    exchange.end(closed != null ? closed : Status.OK, null);
                }
            }
        }

        @Override
        public void onReady() {
            try (Scope ignored = exchange.context().makeCurrent()) {
                super.onReady();
            }
        }

        /**
         * gRPC answers an escaping exception with UNKNOWN; but when the call was already cancelled
         * (deadline, client gone) the exception is only the handler writing to a dead call.
         */
        private static Status failureStatus(Throwable e) {
            if (io.grpc.Context.current().isCancelled()
                    || Status.fromThrowable(e).getCode() == Status.Code.CANCELLED) {
                return cancelStatus();
            }
            return Status.UNKNOWN.withCause(e);
        }

        private static Status cancelStatus() {
            io.grpc.Context grpcContext = io.grpc.Context.current();
            Throwable cause = grpcContext.cancellationCause();
            boolean expired = cause instanceof TimeoutException
                    || (grpcContext.getDeadline() != null
                            && grpcContext.getDeadline().isExpired());
            return expired ? Status.DEADLINE_EXCEEDED : Status.CANCELLED;
        }
    }
}
