package io.marty.observability.console.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC receiver ({@code TraceService}, {@code LogsService}, {@code MetricsService} {@code Export})
 * beside the OTLP/HTTP one, sharing its decoding, stores, listeners, limits, ingest budget and
 * token: a message over the size limit (also after gzip decompression) gets {@code
 * RESOURCE_EXHAUSTED}, an undecodable one {@code INVALID_ARGUMENT}, a missing or wrong token {@code
 * UNAUTHENTICATED}, and no room in the ingest budget within the wait {@code UNAVAILABLE} (which OTLP
 * exporters retry).
 */
public final class OtlpGrpcReceiver implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Server server;
    private final ExecutorService executor;

    /** A request's bytes as received, or why they could not be read (e.g. over the limit once decompressed). */
    private record Body(byte[] bytes, Status error) {}

    /**
     * Request bytes as received: decoding happens in the handler, so garbage is INVALID_ARGUMENT, and a
     * read failure (a message that grows past the limit while being decompressed) keeps its status
     * instead of becoming an UNKNOWN application error.
     */
    private static final MethodDescriptor.Marshaller<Body> REQUEST = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Body value) {
            return new ByteArrayInputStream(value.bytes());
        }

        @Override
        public Body parse(InputStream stream) {
            try {
                return new Body(stream.readAllBytes(), null);
            } catch (StatusRuntimeException e) {
                return new Body(null, e.getStatus());
            } catch (IOException | RuntimeException e) {
                return new Body(
                        null, Status.INVALID_ARGUMENT.withDescription("reading the message: " + e.getMessage()));
            }
        }
    };

    private static final MethodDescriptor.Marshaller<byte[]> RESPONSE = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            throw new UnsupportedOperationException("the receiver only sends responses");
        }
    };

    private OtlpGrpcReceiver(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the receiver.
     *
     * @param receivers the OTLP/HTTP receivers of the three signals, whose decoding and storing is reused
     * @param workers calls decoded at once (more wait in a queue, bounded by the ingest budget)
     */
    static OtlpGrpcReceiver start(
            InetAddress bind,
            int port,
            Collection<OtlpReceiver> receivers,
            IngestGate gate,
            OtlpReceiver.ReceiverStats stats,
            byte[] token,
            int maxMessageBytes,
            int workers) {
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "marty-console-grpc");
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(bind, port))
                .executor(executor)
                .maxInboundMessageSize(maxMessageBytes)
                .maxInboundMetadataSize(16 * 1024)
                .maxConnectionIdle(5, TimeUnit.MINUTES)
                .handshakeTimeout(10, TimeUnit.SECONDS);
        ServerInterceptor auth = new TokenCheck(token, stats);
        for (OtlpReceiver r : receivers) {
            b.addService(ServerInterceptors.intercept(service(r, gate, stats, maxMessageBytes), auth));
        }
        Server server = b.build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException(
                    "console: cannot bind OTLP/gRPC " + bind.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
        return new OtlpGrpcReceiver(server, executor);
    }

    private static ServerServiceDefinition service(
            OtlpReceiver receiver, IngestGate gate, OtlpReceiver.ReceiverStats stats, int maxMessageBytes) {
        String signal = receiver.signal().name().toLowerCase(Locale.ROOT);
        String serviceName = "opentelemetry.proto.collector." + (signal.equals("traces") ? "trace" : signal) + ".v1."
                + switch (receiver.signal()) {
                    case TRACES -> "TraceService";
                    case LOGS -> "LogsService";
                    case METRICS -> "MetricsService";
                };
        MethodDescriptor<Body, byte[]> export = MethodDescriptor.<Body, byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, "Export"))
                .setRequestMarshaller(REQUEST)
                .setResponseMarshaller(RESPONSE)
                .build();
        return ServerServiceDefinition.builder(serviceName)
                .addMethod(export, ServerCalls.asyncUnaryCall((Body request, StreamObserver<byte[]> out) -> {
                    stats.requests.incrementAndGet();
                    if (request.error() != null) {
                        if (request.error().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                            stats.oversize.incrementAndGet();
                        } else {
                            stats.badRequests.incrementAndGet();
                        }
                        out.onError(request.error().asException());
                        return;
                    }
                    byte[] body = request.bytes();
                    // the message is in memory already (at most maxMessageBytes): count it in the budget
                    int weight = Math.max(1, Math.min(body.length, maxMessageBytes));
                    if (!gate.enter(weight)) {
                        stats.busy.incrementAndGet();
                        out.onError(Status.UNAVAILABLE
                                .withDescription("console busy: too many OTLP requests in flight, retry later")
                                .asException());
                        return;
                    }
                    try {
                        out.onNext(receiver.export(body, false));
                        out.onCompleted();
                    } catch (InvalidProtocolBufferException e) {
                        stats.badRequests.incrementAndGet();
                        out.onError(Status.INVALID_ARGUMENT
                                .withDescription("invalid OTLP protobuf payload for " + signal + ": " + e.getMessage())
                                .asException());
                    } catch (IOException | RuntimeException e) {
                        stats.badRequests.incrementAndGet();
                        out.onError(Status.INVALID_ARGUMENT
                                .withDescription("invalid OTLP payload for " + signal + ": " + e.getMessage())
                                .asException());
                    } finally {
                        gate.leave(weight);
                    }
                }))
                .build();
    }

    /** Rejects calls without the access token (when one is set) before their message is read. */
    private record TokenCheck(byte[] token, OtlpReceiver.ReceiverStats stats) implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (token != null) {
                String auth = headers.get(AUTHORIZATION);
                boolean ok = auth != null
                        && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                        && HttpSupport.same(auth.substring(7).trim(), token);
                if (!ok) {
                    stats.unauthorized.incrementAndGet();
                    call.close(
                            Status.UNAUTHENTICATED.withDescription(
                                    "missing or wrong access token (send 'authorization: Bearer <token>')"),
                            new Metadata());
                    return new ServerCall.Listener<>() {};
                }
            }
            return next.startCall(call, headers);
        }
    }

    /** The bound port. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
