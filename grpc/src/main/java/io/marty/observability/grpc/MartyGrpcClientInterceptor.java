package io.marty.observability.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.grpc.internal.GrpcCarriers;
import io.marty.observability.grpc.internal.RpcExchange;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Objects;

/**
 * Client interceptor for all four call kinds: opens a client span (child of the current context),
 * injects {@code traceparent}/{@code tracestate}/{@code baggage} and {@code x-mmf-*} metadata
 * (lower-case keys), and records client RED metrics when the call closes — with the final status,
 * including {@code CANCELLED} and {@code DEADLINE_EXCEEDED}.
 *
 * <pre>{@code
 * ManagedChannel channel = NettyChannelBuilder.forTarget("payments:9090").usePlaintext()
 *     .intercept(MartyGrpcClientInterceptor.create(observability))
 *     .build();
 * }</pre>
 */
public final class MartyGrpcClientInterceptor implements ClientInterceptor {

    private static final String INSTRUMENTATION = "io.marty.observability.grpc.client";

    private final MartyObservability observability;
    private final Tracer tracer;
    // leaves out (and counts) a value the metadata rejects instead of failing the call
    private final TextMapSetter<Metadata> setter;

    private MartyGrpcClientInterceptor(MartyObservability observability) {
        this.observability = observability;
        this.tracer = observability.openTelemetry().getTracer(INSTRUMENTATION);
        this.setter = observability
                .metrics()
                .instrumentationErrors()
                .failOpen(InstrumentationErrors.GRPC_CLIENT, GrpcCarriers.SETTER);
    }

    /** An interceptor reporting to {@code observability}. */
    public static MartyGrpcClientInterceptor create(MartyObservability observability) {
        return new MartyGrpcClientInterceptor(Objects.requireNonNull(observability, "observability"));
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
            MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        RpcExchange exchange;
        try {
            exchange = RpcExchange.start(observability, tracer, method, Context.current(), false);
            exchange.setServerAddress(next.authority());
        } catch (RuntimeException e) {
            RpcExchange.recordFailure(observability, false, "cannot start the client span", e);
            return next.newCall(method, callOptions);
        }
        ClientCall<ReqT, RespT> call;
        try {
            call = next.newCall(method, callOptions);
        } catch (RuntimeException e) {
            exchange.end(Status.fromThrowable(e), e);
            throw e;
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
            @Override
            public void start(Listener<RespT> responseListener, Metadata headers) {
                try {
                    observability
                            .openTelemetry()
                            .getPropagators()
                            .getTextMapPropagator()
                            .inject(exchange.context(), headers, setter);
                } catch (RuntimeException e) {
                    RpcExchange.recordFailure(observability, false, "cannot inject the propagation metadata", e);
                }
                Listener<RespT> listener =
                        new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(responseListener) {
                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                exchange.end(status, null);
                                super.onClose(status, trailers);
                            }
                        };
                try (Scope ignored = exchange.context().makeCurrent()) {
                    super.start(listener, headers);
                } catch (RuntimeException | Error e) {
                    exchange.end(Status.fromThrowable(e), e);
                    throw e;
                }
            }
        };
    }
}
