package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.grpc.internal.GrpcCarriers;
import io.marty.observability.grpc.testing.EchoReply;
import io.marty.observability.grpc.testing.EchoRequest;
import io.marty.observability.grpc.testing.EchoServiceGrpc;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Marty's interceptors among the application's own: an interceptor inside Marty's (registered so
 * that it is called after it) sees the call's correlation and span in every callback; one outside
 * sees no context before or after Marty's, so nothing leaks out of the call's scope.
 */
class GrpcInterceptorOrderingIT {

    /** What each user interceptor saw, by "where: callback". */
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    private EchoServerFixture fixture;

    private static String describe(Context context) {
        if (context == Context.root()) {
            return "root";
        }
        CorrelationContext c = CorrelationContext.fromContext(context);
        return c.correlationId() + "/"
                + Span.fromContext(context).getSpanContext().getSpanId();
    }

    /** Records the current context at interceptCall and around every listener callback. */
    private ServerInterceptor recorder(String where) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                seen.put(where + ": interceptCall", describe(Context.current()));
                ServerCall.Listener<Q> listener = next.startCall(call, headers);
                seen.put(where + ": after startCall", describe(Context.current()));
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                    @Override
                    public void onMessage(Q message) {
                        seen.put(where + ": onMessage", describe(Context.current()));
                        super.onMessage(message);
                        seen.put(where + ": after onMessage", describe(Context.current()));
                    }

                    @Override
                    public void onHalfClose() {
                        seen.put(where + ": onHalfClose", describe(Context.current()));
                        super.onHalfClose();
                        seen.put(where + ": after onHalfClose", describe(Context.current()));
                    }

                    @Override
                    public void onComplete() {
                        seen.put(where + ": onComplete", describe(Context.current()));
                        super.onComplete();
                        seen.put(where + ": after onComplete", describe(Context.current()));
                    }
                };
            }
        };
    }

    @BeforeEach
    void start() throws Exception {
        ClientInterceptor clientInner = new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(
                    MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        seen.put("client inner: start", describe(Context.current()));
                        seen.put("client inner: header", headers.get(GrpcCarriers.key("x-mmf-correlation-id")));
                        seen.put("client inner: traceparent", headers.get(GrpcCarriers.key("traceparent")));
                        super.start(listener, headers);
                    }
                };
            }
        };
        fixture = new EchoServerFixture(List.of(recorder("inner")), List.of(recorder("outer")), List.of(clientInner));
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void innerInterceptorsSeeTheCallContextAndOuterOnesNeverDo() throws Exception {
        CorrelationContext caller = CorrelationContext.newRoot();
        EchoReply reply;
        try (Scope ignored = caller.makeCurrent()) {
            reply = EchoServiceGrpc.newBlockingStub(fixture.captured)
                    .unary(EchoRequest.newBuilder().setMessage("x").build());
        }
        assertThat(reply.getCorrelationId()).isEqualTo(caller.correlationId());
        String name = EchoServerFixture.SERVICE + "/Unary";
        SpanData server = fixture.awaitSpan(SpanKind.SERVER, name);
        SpanData client = fixture.awaitSpan(SpanKind.CLIENT, name);
        fixture.awaitRequests("server", "Unary", "OK", "success", 1);

        String serverContext = caller.correlationId() + "/" + server.getSpanId();
        for (String callback : List.of(
                "interceptCall",
                "after startCall",
                "onMessage",
                "after onMessage",
                "onHalfClose",
                "after onHalfClose",
                "onComplete",
                "after onComplete")) {
            assertThat(seen.get("inner: " + callback)).as("inner " + callback).isEqualTo(serverContext);
            assertThat(seen.get("outer: " + callback)).as("outer " + callback).isEqualTo("root");
        }
        assertThat(seen.get("client inner: start")).isEqualTo(caller.correlationId() + "/" + client.getSpanId());
        assertThat(seen.get("client inner: header")).isEqualTo(caller.correlationId());
        assertThat(seen.get("client inner: traceparent")).contains(client.getSpanId());
    }
}
