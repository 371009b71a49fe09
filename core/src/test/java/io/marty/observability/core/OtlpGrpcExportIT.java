package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real OTLP/gRPC exporter → a gRPC TraceService receiver (Netty, loopback) defined in the test. */
class OtlpGrpcExportIT {
    private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    private Server server;

    @BeforeEach
    void startReceiver() throws Exception {
        MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> export =
                MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
                        .setType(MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
                        .setRequestMarshaller(ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
                        .setResponseMarshaller(ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
                        .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(
                        "opentelemetry.proto.collector.trace.v1.TraceService")
                .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> {
                    received.add(request);
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
    }

    @AfterEach
    void stopReceiver() throws InterruptedException {
        MartyObservability.current().ifPresent(MartyObservability::close);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void spansArriveOverGrpc() throws Exception {
        MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("payments")
                .exporter("otlp")
                .otlpProtocol("grpc")
                .otlpEndpoint("http://127.0.0.1:" + server.getPort())
                .shutdownTimeout(Duration.ofSeconds(10))
                .prometheusRegistry(new io.prometheus.metrics.model.registry.PrometheusRegistry())
                .build());
        CorrelationContext c = CorrelationContext.newRoot();
        String traceId;
        try (Scope ignored = c.makeCurrent()) {
            traceId = obs.tracing()
                    .trace(
                            "charge",
                            () -> io.opentelemetry.api.trace.Span.current()
                                    .getSpanContext()
                                    .getTraceId());
        }
        obs.close();

        List<Span> spans = received.stream()
                .flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(rs -> rs.getScopeSpansList().stream())
                .flatMap(ss -> ss.getSpansList().stream())
                .toList();
        assertThat(spans).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("charge");
            assertThat(HexFormat.of().formatHex(s.getTraceId().toByteArray())).isEqualTo(traceId);
            assertThat(s.getAttributesList())
                    .extracting(KeyValue::getKey)
                    .contains("mmf.correlation_id", "mmf.request_id");
            assertThat(s.getAttributesList())
                    .filteredOn(kv -> kv.getKey().equals("mmf.correlation_id"))
                    .singleElement()
                    .satisfies(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo(c.correlationId()));
        });
    }
}
