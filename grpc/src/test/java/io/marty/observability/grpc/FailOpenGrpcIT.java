package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.grpc.testing.EchoReply;
import io.marty.observability.grpc.testing.EchoRequest;
import io.marty.observability.grpc.testing.EchoServiceGrpc;
import io.marty.observability.testing.LogCapture;
import io.marty.observability.testing.MartyTesting;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fail open of both gRPC interceptors over a real Netty server: a throwing {@code RequestListener},
 * a call wrapper of an outer server interceptor or a channel wrapper that throws never fails the
 * RPC, and is counted under the interceptor's component and logged throttled.
 */
class FailOpenGrpcIT {
    private static final int CALLS = 8;
    private static final String SERVICE = "marty.test.EchoService";
    private static final Metadata.Key<String> BREAK = Metadata.Key.of("x-test-break", Metadata.ASCII_STRING_MARSHALLER);

    private MartyTesting marty;
    private LogCapture log;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        marty = MartyTesting.start("grpc-failopen");
        log = new LogCapture();
        // outer to Marty's interceptor: hands it a call whose getAuthority() fails when asked to
        ServerInterceptor breaker = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                if (!headers.containsKey(BREAK)) {
                    return next.startCall(call, headers);
                }
                return next.startCall(
                        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                            @Override
                            public String getAuthority() {
                                throw new IllegalStateException("broken call wrapper");
                            }
                        },
                        headers);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(
                        new EchoServiceImpl(), MartyGrpcServerInterceptor.create(marty.observability()), breaker))
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        log.close();
        marty.close();
    }

    private EchoServiceGrpc.EchoServiceBlockingStub stub(Channel base) {
        return EchoServiceGrpc.newBlockingStub(
                ClientInterceptors.intercept(base, MartyGrpcClientInterceptor.create(marty.observability())));
    }

    private static EchoRequest request(int i) {
        return EchoRequest.newBuilder().setMessage("m" + i).build();
    }

    @Test
    void bothInterceptorsServeEveryCallWhenAListenerThrows() {
        marty.observability().metrics().red().addListener(request -> {
            throw new IllegalStateException("listener bug");
        });
        EchoServiceGrpc.EchoServiceBlockingStub stub = stub(channel);
        for (int i = 0; i < CALLS; i++) {
            EchoReply reply = stub.unary(request(i));
            assertThat(reply.getMessage()).isEqualTo("m" + i);
            assertThat(reply.getCorrelationId()).isNotEqualTo("null");
        }
        log.assertCountedAndThrottled(marty, InstrumentationErrors.REQUEST_LISTENER, 2 * CALLS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(marty.requests(Map.of("direction", "server", "status", "OK")))
                    .isEqualTo(CALLS);
            assertThat(marty.requests(Map.of("direction", "client", "status", "OK")))
                    .isEqualTo(CALLS);
        });
    }

    @Test
    void serverInterceptorServesUninstrumentedWhenAnOuterCallWrapperThrows() {
        Metadata extra = new Metadata();
        extra.put(BREAK, "authority");
        EchoServiceGrpc.EchoServiceBlockingStub plain = EchoServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(extra));
        for (int i = 0; i < CALLS; i++) {
            EchoReply reply = plain.unary(request(i));
            assertThat(reply.getMessage()).isEqualTo("m" + i);
            assertThat(reply.getCorrelationId()).as("not instrumented").isEqualTo("null");
        }
        log.assertCountedAndThrottled(marty, InstrumentationErrors.GRPC_SERVER, CALLS);
        assertThat(marty.requests(Map.of("direction", "server"))).isZero();
        assertThat(marty.spans()).isEmpty();
    }

    @Test
    void clientInterceptorCallsUninstrumentedWhenTheChannelBelowItThrows() {
        Channel broken = new Channel() {
            @Override
            public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
                return channel.newCall(method, options);
            }

            @Override
            public String authority() {
                throw new IllegalStateException("broken channel wrapper");
            }
        };
        EchoServiceGrpc.EchoServiceBlockingStub stub = stub(broken);
        for (int i = 0; i < CALLS; i++) {
            EchoReply reply = stub.unary(request(i));
            assertThat(reply.getMessage()).isEqualTo("m" + i);
        }
        log.assertCountedAndThrottled(marty, InstrumentationErrors.GRPC_CLIENT, CALLS);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(marty.requests(Map.of("direction", "server", "method", SERVICE + "/Unary")))
                                .isEqualTo(CALLS));
        assertThat(marty.requests(Map.of("direction", "client"))).isZero();
    }
}
