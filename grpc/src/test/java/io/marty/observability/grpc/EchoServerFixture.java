package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.MDC;

/**
 * The echo service behind Marty's interceptors on a real Netty server and channel on 127.0.0.1
 * (ephemeral port), with one application thread, and the assertions the gRPC tests share.
 */
final class EchoServerFixture implements AutoCloseable {

    static final String SERVICE = "marty.test.EchoService";

    final MartyTesting marty = MartyTesting.start("grpc-test");
    final EchoServiceImpl service = new EchoServiceImpl();
    final ExecutorService serverExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "grpc-app"));
    final Set<String> receivedKeys = ConcurrentHashMap.newKeySet();
    final AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    final AtomicReference<Metadata> responseTrailers = new AtomicReference<>();
    final Server server;
    final ManagedChannel channel;
    /** The instrumented channel, capturing response headers and trailers. */
    final Channel captured;

    /** Marty's interceptors only. */
    EchoServerFixture() throws Exception {
        this(List.of(), List.of(), List.of());
    }

    /**
     * With user interceptors: {@code serverInner} run inside Marty's server interceptor (called after
     * it), {@code serverOuter} outside it (called before it), {@code clientInner} inside Marty's
     * client interceptor.
     */
    EchoServerFixture(
            List<ServerInterceptor> serverInner,
            List<ServerInterceptor> serverOuter,
            List<ClientInterceptor> clientInner)
            throws Exception {
        // outermost interceptor: sees the metadata exactly as it came over the wire
        ServerInterceptor keyRecorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                receivedKeys.addAll(headers.keys());
                return next.startCall(call, headers);
            }
        };
        // ServerInterceptors.intercept calls the last interceptor of the list first
        List<ServerInterceptor> chain = new ArrayList<>(serverInner);
        chain.add(MartyGrpcServerInterceptor.create(marty.observability()));
        chain.addAll(serverOuter);
        chain.add(keyRecorder);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .executor(serverExecutor)
                .addService(ServerInterceptors.intercept(service, chain))
                .build()
                .start();
        // the builder's interceptors: the last one added is called first
        List<ClientInterceptor> client = new ArrayList<>(clientInner);
        client.add(MartyGrpcClientInterceptor.create(marty.observability()));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .intercept(client)
                .build();
        captured = ClientInterceptors.intercept(
                channel, MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, responseTrailers));
    }

    /** Fails unless the application thread is left without OTel context and MDC. */
    void assertNoContextLeft() throws Exception {
        CompletableFuture<String> probe = CompletableFuture.supplyAsync(
                () -> (Context.current() == Context.root() ? "" : "context leaked ")
                        + (MDC.getCopyOfContextMap() == null
                                        || MDC.getCopyOfContextMap().isEmpty()
                                ? ""
                                : "MDC leaked " + MDC.getCopyOfContextMap()),
                serverExecutor);
        assertThat(probe.get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Override
    public void close() throws Exception {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            assertNoContextLeft();
        } finally {
            serverExecutor.shutdownNow();
            marty.close();
        }
    }

    SpanData awaitSpan(SpanKind kind, String name) {
        return marty.awaitSpan(kind, name);
    }

    void awaitRequests(String direction, String method, String status, String outcome, double count) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(marty.requests(Map.of(
                                "protocol", "grpc",
                                "direction", direction,
                                "method", SERVICE + "/" + method,
                                "status", status,
                                "outcome", outcome)))
                        .as(() -> "series: "
                                + marty.points("mmf_requests").stream()
                                        .map(DataPointSnapshot::getLabels)
                                        .toList())
                        .isEqualTo(count));
    }

    /** {@code mmf_active_requests} for gRPC in one direction. */
    double activeRequests(String direction) {
        double sum = 0;
        for (DataPointSnapshot p : marty.points("mmf_active_requests")) {
            if ("grpc".equals(p.getLabels().get("protocol"))
                    && direction.equals(p.getLabels().get("direction"))) {
                sum += ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
            }
        }
        return sum;
    }
}
