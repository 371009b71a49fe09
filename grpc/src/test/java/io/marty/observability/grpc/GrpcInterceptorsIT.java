package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.core.correlation.MmfPropagator;
import io.marty.observability.grpc.internal.GrpcCarriers;
import io.marty.observability.grpc.testing.EchoReply;
import io.marty.observability.grpc.testing.EchoRequest;
import io.marty.observability.grpc.testing.EchoServiceGrpc;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server and client interceptors over a real Netty server and channel on 127.0.0.1. */
class GrpcInterceptorsIT {

    private static final String SERVICE = EchoServerFixture.SERVICE;

    private EchoServerFixture fixture;
    private EchoServiceImpl service;
    private Set<String> receivedKeys;
    private AtomicReference<Metadata> responseHeaders;
    private AtomicReference<Metadata> responseTrailers;
    private EchoServiceGrpc.EchoServiceBlockingStub blocking;
    private EchoServiceGrpc.EchoServiceStub async;

    @BeforeEach
    void start() throws Exception {
        fixture = new EchoServerFixture();
        service = fixture.service;
        receivedKeys = fixture.receivedKeys;
        responseHeaders = fixture.responseHeaders;
        responseTrailers = fixture.responseTrailers;
        blocking = EchoServiceGrpc.newBlockingStub(fixture.captured);
        async = EchoServiceGrpc.newStub(fixture.captured);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close(); // also fails if any context or MDC survived on the application thread
    }

    private SpanData awaitSpan(SpanKind kind, String name) {
        return fixture.awaitSpan(kind, name);
    }

    private void awaitRequests(String direction, String method, String status, String outcome, double count) {
        fixture.awaitRequests(direction, method, status, outcome, count);
    }

    @Test
    void unaryPropagatesTraceAndCorrelationAndEchoesIds() {
        CorrelationContext caller = CorrelationContext.newRoot();
        EchoReply reply;
        try (Scope ignored = caller.makeCurrent()) {
            reply = blocking.unary(EchoRequest.newBuilder().setMessage("hi").build());
        }
        assertThat(reply.getCorrelationId()).isEqualTo(caller.correlationId());
        assertThat(reply.getParentRequestId()).isEqualTo(caller.requestId());
        assertThat(reply.getRequestId()).isNotEqualTo(caller.requestId());
        Metadata headers = responseHeaders.get();
        assertThat(headers.get(Metadata.Key.of("x-mmf-correlation-id", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo(caller.correlationId());
        assertThat(headers.get(Metadata.Key.of("x-mmf-request-id", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo(reply.getRequestId());
        assertThat(receivedKeys).contains("traceparent", "x-mmf-correlation-id", "x-mmf-request-id");
        assertThat(receivedKeys).allMatch(k -> k.equals(k.toLowerCase()));

        SpanData client = awaitSpan(SpanKind.CLIENT, SERVICE + "/Unary");
        SpanData server = awaitSpan(SpanKind.SERVER, SERVICE + "/Unary");
        assertThat(server.getTraceId()).isEqualTo(client.getTraceId()).isEqualTo(reply.getTraceId());
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
        assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.system")))
                .isEqualTo("grpc");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.service")))
                .isEqualTo(SERVICE);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.method")))
                .isEqualTo("Unary");
        assertThat(server.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code")))
                .isEqualTo(0L);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo(caller.correlationId());
        awaitRequests("server", "Unary", "OK", "success", 1);
        awaitRequests("client", "Unary", "OK", "success", 1);
    }

    @Test
    void serverStreamingIsRecordedOnce() {
        Iterator<EchoReply> replies = blocking.serverStream(
                EchoRequest.newBuilder().setMessage("s").setCount(5).build());
        List<EchoReply> all = new ArrayList<>();
        replies.forEachRemaining(all::add);
        assertThat(all).hasSize(5);
        assertThat(all)
                .extracting(EchoReply::getCorrelationId)
                .containsOnly(all.get(0).getCorrelationId());
        awaitRequests("server", "ServerStream", "OK", "success", 1);
        awaitRequests("client", "ServerStream", "OK", "success", 1);
    }

    @Test
    void clientStreamingAndBidiAreRecorded() throws Exception {
        CompletableFuture<EchoReply> single = new CompletableFuture<>();
        StreamObserver<EchoRequest> upload = async.clientStream(observer(single, new ArrayList<>()));
        for (int i = 0; i < 3; i++) {
            upload.onNext(EchoRequest.newBuilder().setMessage("m" + i).build());
        }
        upload.onCompleted();
        assertThat(single.get(10, TimeUnit.SECONDS).getMessage()).isEqualTo("m0m1m2");

        CompletableFuture<EchoReply> done = new CompletableFuture<>();
        List<EchoReply> echoed = new ArrayList<>();
        StreamObserver<EchoRequest> chat = async.bidi(observer(done, echoed));
        chat.onNext(EchoRequest.newBuilder().setMessage("a").build());
        chat.onNext(EchoRequest.newBuilder().setMessage("b").build());
        chat.onCompleted();
        done.get(10, TimeUnit.SECONDS);
        assertThat(echoed).extracting(EchoReply::getMessage).containsExactly("a", "b");
        awaitRequests("server", "ClientStream", "OK", "success", 1);
        awaitRequests("server", "Bidi", "OK", "success", 1);
        awaitRequests("client", "Bidi", "OK", "success", 1);
        SpanData client = awaitSpan(SpanKind.CLIENT, SERVICE + "/Bidi");
        SpanData server = awaitSpan(SpanKind.SERVER, SERVICE + "/Bidi");
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
    }

    private static StreamObserver<EchoReply> observer(CompletableFuture<EchoReply> done, List<EchoReply> sink) {
        return new StreamObserver<>() {
            private EchoReply last;

            @Override
            public synchronized void onNext(EchoReply value) {
                sink.add(value);
                last = value;
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public synchronized void onCompleted() {
                done.complete(last);
            }
        };
    }

    @Test
    void statusesMapToOutcomesAndIdsAreEchoedInTrailersOnly() {
        assertThatThrownBy(() -> blocking.unary(EchoRequest.newBuilder()
                        .setBehavior("fail:INVALID_ARGUMENT")
                        .build()))
                .isInstanceOf(StatusRuntimeException.class);
        assertThat(responseTrailers
                        .get()
                        .get(Metadata.Key.of("x-mmf-correlation-id", Metadata.ASCII_STRING_MARSHALLER)))
                .isNotNull();
        assertThatThrownBy(() -> blocking.unary(
                        EchoRequest.newBuilder().setBehavior("fail:UNAVAILABLE").build()))
                .isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> blocking.unary(
                        EchoRequest.newBuilder().setBehavior("throw").build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNKNOWN));
        awaitRequests("server", "Unary", "INVALID_ARGUMENT", "client_error", 1);
        awaitRequests("server", "Unary", "UNAVAILABLE", "server_error", 1);
        awaitRequests("server", "Unary", "UNKNOWN", "server_error", 1);
        awaitRequests("client", "Unary", "INVALID_ARGUMENT", "client_error", 1);
        awaitRequests("client", "Unary", "UNKNOWN", "server_error", 1);
        // the service keeps answering
        assertThat(blocking.unary(EchoRequest.newBuilder().setMessage("ok").build())
                        .getMessage())
                .isEqualTo("ok");
        List<SpanData> servers = fixture.marty.spans().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER)
                .toList();
        assertThat(servers)
                .filteredOn(s -> "INVALID_ARGUMENT".equals(s.getAttributes().get(AttributeKey.stringKey("error.type"))))
                .allMatch(s -> s.getStatus().getStatusCode() == StatusCode.UNSET);
        assertThat(servers)
                .filteredOn(s -> "UNKNOWN".equals(s.getAttributes().get(AttributeKey.stringKey("error.type"))))
                .allMatch(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
                .anyMatch(s -> s.getEvents().stream().anyMatch(e -> e.getName().equals("exception")));
    }

    @Test
    void deadlineExceededIsRecordedOnBothSidesAndContextIsCleared() throws Exception {
        blocking.unary(EchoRequest.newBuilder().setMessage("warm-up").build()); // connect first
        assertThatThrownBy(() -> blocking.withDeadlineAfter(400, TimeUnit.MILLISECONDS)
                        .unary(EchoRequest.newBuilder()
                                .setBehavior("sleep:1500")
                                .build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(service.sleeping.tryAcquire(10, TimeUnit.SECONDS))
                .as("call reached the server")
                .isTrue();
        awaitRequests("client", "Unary", "DEADLINE_EXCEEDED", "server_error", 1);
        awaitRequests("server", "Unary", "DEADLINE_EXCEEDED", "server_error", 1);
    }

    @Test
    void clientCancellationIsRecordedAsCancelled() throws Exception {
        blocking.unary(EchoRequest.newBuilder().setMessage("warm-up").build());
        io.grpc.Context.CancellableContext grpcContext =
                io.grpc.Context.current().withCancellation();
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        grpcContext.run(() ->
                async.unary(EchoRequest.newBuilder().setBehavior("sleep:800").build(), new StreamObserver<>() {
                    @Override
                    public void onNext(EchoReply value) {}

                    @Override
                    public void onError(Throwable t) {
                        failed.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                        failed.complete(null);
                    }
                }));
        // cancel only once the handler runs, so the server side sees the cancellation
        assertThat(service.sleeping.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        grpcContext.cancel(null);
        assertThat(Status.fromThrowable(failed.get(10, TimeUnit.SECONDS)).getCode())
                .isEqualTo(Status.Code.CANCELLED);
        awaitRequests("client", "Unary", "CANCELLED", "client_error", 1);
        awaitRequests("server", "Unary", "CANCELLED", "client_error", 1);
    }

    @Test
    void malformedAndOversizedMmfMetadataIsReplacedCountedAndNeverEchoed() throws Exception {
        String oversized = "c".repeat(4000);
        String spaced = "evil request id";
        Metadata raw = new Metadata();
        raw.put(GrpcCarriers.key("x-mmf-correlation-id"), oversized);
        raw.put(GrpcCarriers.key("x-mmf-request-id"), spaced);
        raw.put(GrpcCarriers.key("x-mmf-user-id"), "a user");
        raw.put(GrpcCarriers.key("x-mmf-session-id"), "s".repeat(MmfHeaders.MAX_VALUE_LENGTH + 1));
        raw.put(GrpcCarriers.key("x-mmf-operation-id"), "checkout"); // valid: kept
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        AtomicReference<Metadata> failedTrailers = new AtomicReference<>();
        long invalidBefore = MmfPropagator.invalidValueCount();
        // a plain channel: the raw metadata goes over the wire exactly as written
        ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", fixture.server.getPort())
                .usePlaintext()
                .build();
        EchoReply reply;
        try {
            reply = EchoServiceGrpc.newBlockingStub(ClientInterceptors.intercept(
                            plain,
                            MetadataUtils.newAttachHeadersInterceptor(raw),
                            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)))
                    .unary(EchoRequest.newBuilder().setMessage("x").build());
            assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(ClientInterceptors.intercept(
                                    plain,
                                    MetadataUtils.newAttachHeadersInterceptor(raw),
                                    MetadataUtils.newCaptureMetadataInterceptor(
                                            new AtomicReference<>(), failedTrailers)))
                            .unary(EchoRequest.newBuilder()
                                    .setBehavior("fail:INVALID_ARGUMENT")
                                    .build()))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        Metadata.Key<String> correlationKey = GrpcCarriers.key("x-mmf-correlation-id");
        String replaced = headers.get().get(correlationKey);
        assertThat(replaced).isNotEqualTo(oversized).matches(MmfHeaders::isValidValue);
        assertThat(reply.getCorrelationId()).isEqualTo(replaced);
        assertThat(reply.getParentRequestId()).as("invalid request id dropped").isEqualTo("null");
        assertThat(failedTrailers.get().get(correlationKey)).matches(MmfHeaders::isValidValue);
        // 4 invalid values per call, counted and exported
        assertThat(MmfPropagator.invalidValueCount() - invalidBefore).isEqualTo(8);
        assertThat(fixture.marty.sum("mmf_correlation_invalid_headers", Map.of()))
                .isEqualTo((double) MmfPropagator.invalidValueCount());

        awaitRequests("server", "Unary", "INVALID_ARGUMENT", "client_error", 1);
        SpanData server = awaitSpan(SpanKind.SERVER, SERVICE + "/Unary");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                .isEqualTo(replaced);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("mmf.operation_id")))
                .isEqualTo("checkout");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("mmf.user_id")))
                .isNull();
        // none of the rejected values comes back in any header or trailer, or is recorded on a span
        List<String> sentBack = new ArrayList<>();
        for (Metadata m : List.of(headers.get(), trailers.get(), failedTrailers.get())) {
            for (String k : m.keys()) {
                if (!k.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    m.getAll(GrpcCarriers.key(k)).forEach(sentBack::add);
                }
            }
        }
        fixture.marty.spans().forEach(s -> s.getAttributes().forEach((k, v) -> sentBack.add(String.valueOf(v))));
        assertThat(sentBack)
                .isNotEmpty()
                .noneMatch(v -> v.contains("ccccccccc")
                        || v.contains("evil")
                        || v.contains("a user")
                        || v.contains("sssssssss"));
    }

    @Test
    void concurrentCallsSeeOnlyTheirOwnCorrelation() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                results.add(CompletableFuture.supplyAsync(
                        () -> {
                            CorrelationContext mine = CorrelationContext.newRoot();
                            try (Scope ignored = mine.makeCurrent()) {
                                EchoReply r = blocking.unary(
                                        EchoRequest.newBuilder().setMessage("x").build());
                                return r.getCorrelationId().equals(mine.correlationId())
                                                && r.getParentRequestId().equals(mine.requestId())
                                        ? ""
                                        : mine + " got " + r;
                            }
                        },
                        callers));
            }
            for (CompletableFuture<String> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            callers.shutdownNow();
        }
        awaitRequests("server", "Unary", "OK", "success", 100);
    }
}
