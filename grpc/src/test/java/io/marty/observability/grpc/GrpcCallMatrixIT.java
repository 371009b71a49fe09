package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.grpc.testing.EchoReply;
import io.marty.observability.grpc.testing.EchoRequest;
import io.marty.observability.grpc.testing.EchoServiceGrpc;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call kind × every way a call ends, over a real Netty server: both spans with their status
 * and {@code rpc.grpc.status_code}, RED counts with status and outcome on both sides, the
 * active-requests gauge back to 0, the caller's correlation id on the server span, and no context
 * or MDC left on the application thread.
 */
class GrpcCallMatrixIT {

    enum Kind {
        UNARY("Unary"),
        SERVER_STREAMING("ServerStream"),
        CLIENT_STREAMING("ClientStream"),
        BIDI("Bidi");

        final String method;

        Kind(String method) {
            this.method = method;
        }
    }

    /** How the call ends, the behaviour asked of the handler, and the status both sides record. */
    enum Ending {
        SUCCESS("", Status.Code.OK),
        APPLICATION_ERROR("fail:INTERNAL", Status.Code.INTERNAL),
        CLIENT_CANCEL("sleep:1000", Status.Code.CANCELLED),
        DEADLINE_EXCEEDED("sleep:1000", Status.Code.DEADLINE_EXCEEDED);

        final String behavior;
        final Status.Code code;

        Ending(String behavior, Status.Code code) {
            this.behavior = behavior;
            this.code = code;
        }
    }

    static Stream<Arguments> calls() {
        return Stream.of(Kind.values()).flatMap(k -> Stream.of(Ending.values()).map(e -> Arguments.of(k, e)));
    }

    private EchoServerFixture fixture;
    private EchoServiceGrpc.EchoServiceStub async;

    @BeforeEach
    void start() throws Exception {
        fixture = new EchoServerFixture();
        async = EchoServiceGrpc.newStub(fixture.captured);
        // connect first (without a call that would count), so the deadline case times the call
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> fixture.channel.getState(true) == io.grpc.ConnectivityState.READY);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private void call(Kind kind, Ending ending, RecordingObserver<EchoReply> outcome) {
        EchoServiceGrpc.EchoServiceStub stub =
                ending == Ending.DEADLINE_EXCEEDED ? async.withDeadlineAfter(300, TimeUnit.MILLISECONDS) : async;
        EchoRequest request = EchoRequest.newBuilder()
                .setMessage("m")
                .setBehavior(ending.behavior)
                .setCount(3)
                .build();
        switch (kind) {
            case UNARY:
                stub.unary(request, outcome);
                break;
            case SERVER_STREAMING:
                stub.serverStream(request, outcome);
                break;
            case CLIENT_STREAMING:
                send(stub.clientStream(outcome), request);
                break;
            case BIDI:
                send(stub.bidi(outcome), request);
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    private static void send(StreamObserver<EchoRequest> upload, EchoRequest request) {
        upload.onNext(request);
        upload.onNext(EchoRequest.newBuilder().setMessage("n").build());
        upload.onCompleted();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("calls")
    void eachCallKindEndsRecordedOnBothSides(Kind kind, Ending ending) throws Exception {
        CorrelationContext caller = CorrelationContext.newRoot();
        RecordingObserver<EchoReply> outcome = new RecordingObserver<>();
        io.grpc.Context.CancellableContext cancellable =
                io.grpc.Context.current().withCancellation();
        try (Scope ignored = caller.makeCurrent()) {
            cancellable.run(() -> call(kind, ending, outcome));
        }
        if (ending == Ending.CLIENT_CANCEL) {
            // cancel once the handler runs, so the server side sees the cancellation
            assertThat(fixture.service.sleeping.tryAcquire(10, TimeUnit.SECONDS))
                    .isTrue();
            cancellable.cancel(null);
        }
        Status status = outcome.end.get(10, TimeUnit.SECONDS);
        assertThat(status.getCode()).as("client sees").isEqualTo(ending.code);
        if (ending == Ending.SUCCESS) {
            assertThat(outcome.values).isNotEmpty().allSatisfy(r -> {
                assertThat(r.getCorrelationId()).isEqualTo(caller.correlationId());
                assertThat(r.getParentRequestId()).isEqualTo(caller.requestId());
            });
        }
        if (ending == Ending.DEADLINE_EXCEEDED) {
            assertThat(fixture.service.sleeping.tryAcquire(10, TimeUnit.SECONDS))
                    .as("call reached the server")
                    .isTrue();
        }

        String code = ending.code.name();
        String expectedOutcome = GrpcOutcomes.outcomeOf(ending.code).labelValue();
        fixture.awaitRequests("client", kind.method, code, expectedOutcome, 1);
        fixture.awaitRequests("server", kind.method, code, expectedOutcome, 1);

        String name = EchoServerFixture.SERVICE + "/" + kind.method;
        SpanData client = fixture.awaitSpan(SpanKind.CLIENT, name);
        SpanData server = fixture.awaitSpan(SpanKind.SERVER, name);
        assertThat(server.getTraceId()).isEqualTo(client.getTraceId());
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
        for (SpanData span : List.of(client, server)) {
            assertThat(span.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code")))
                    .as(span.getKind() + " status code")
                    .isEqualTo((long) ending.code.value());
            assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                    .isEqualTo(ending == Ending.SUCCESS ? null : code);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                    .isEqualTo(caller.correlationId());
        }
        // client spans: any non-OK is an error; server spans: only server errors (CANCELLED is not)
        assertThat(client.getStatus().getStatusCode())
                .isEqualTo(ending == Ending.SUCCESS ? StatusCode.UNSET : StatusCode.ERROR);
        assertThat(server.getStatus().getStatusCode())
                .isEqualTo(GrpcOutcomes.isServerError(ending.code) ? StatusCode.ERROR : StatusCode.UNSET);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(fixture.activeRequests("server")).isZero();
            assertThat(fixture.activeRequests("client")).isZero();
        });
        fixture.assertNoContextLeft();
    }
}
