package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.grpc.testing.EchoReply;
import io.marty.observability.grpc.testing.EchoRequest;
import io.marty.observability.grpc.testing.EchoServiceGrpc;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptors over the in-process transport (fast; direct executor, so spans end in-line). */
class GrpcInProcessTest {

    private MartyTesting marty;
    private Server server;
    private ManagedChannel channel;
    private EchoServiceGrpc.EchoServiceBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        marty = MartyTesting.start("inprocess-test");
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(ServerInterceptors.intercept(
                        new EchoServiceImpl(), MartyGrpcServerInterceptor.create(marty.observability())))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name)
                .directExecutor()
                .intercept(MartyGrpcClientInterceptor.create(marty.observability()))
                .build();
        stub = EchoServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        marty.close();
    }

    @Test
    void unaryCallIsLinkedAndCorrelated() {
        CorrelationContext caller = CorrelationContext.newRoot();
        EchoReply reply;
        try (Scope ignored = caller.makeCurrent()) {
            reply = stub.unary(EchoRequest.newBuilder().setMessage("x").build());
        }
        assertThat(reply.getCorrelationId()).isEqualTo(caller.correlationId());
        assertThat(reply.getParentRequestId()).isEqualTo(caller.requestId());
        await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> marty.spans().size() == 2);
        SpanData client = marty.spans().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT)
                .findFirst()
                .orElseThrow();
        SpanData server = marty.spans().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER)
                .findFirst()
                .orElseThrow();
        assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
        assertThat(server.getTraceId()).isEqualTo(reply.getTraceId());
    }

    @Test
    void everyStatusIsCountedWithItsOutcome() {
        for (Status.Code code : new Status.Code[] {
            Status.Code.NOT_FOUND, Status.Code.PERMISSION_DENIED, Status.Code.INTERNAL, Status.Code.UNIMPLEMENTED
        }) {
            assertThatThrownBy(() -> stub.unary(
                            EchoRequest.newBuilder().setBehavior("fail:" + code).build()))
                    .satisfies(
                            e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(code));
            String outcome = GrpcOutcomes.outcomeOf(code).labelValue();
            await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(marty.requests(Map.of("direction", "server", "status", code.name(), "outcome", outcome)))
                        .isEqualTo(1.0);
                assertThat(marty.requests(Map.of("direction", "client", "status", code.name(), "outcome", outcome)))
                        .isEqualTo(1.0);
            });
        }
        assertThat(marty.sum("mmf_errors", Map.of("direction", "server", "error_type", "INTERNAL")))
                .isEqualTo(1.0);
    }
}
