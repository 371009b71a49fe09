package io.marty.observability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * OTLP/gRPC ingest through the real OTel SDK gRPC exporters (traces, logs, metrics; gzip), and
 * hostile calls through a raw gRPC client: garbage gets INVALID_ARGUMENT, an oversize message (also
 * one that only grows past the limit when decompressed) RESOURCE_EXHAUSTED, a call without the token
 * UNAUTHENTICATED; the console keeps answering and counts them.
 */
class ConsoleOtlpGrpcIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "grpc-test-token-0123456789";
    static final int LIMIT = 256 * 1024;
    final HttpClient http = HttpClient.newHttpClient();

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> EXPORT_TRACES = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    JsonNode api(ConsoleServer console, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(console.url() + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static ConsoleServer console() {
        return ConsoleServer.builder()
                .port(0)
                .grpcPort(0)
                .accessToken(TOKEN)
                .maxRequestBytes(LIMIT)
                .build()
                .start();
    }

    @Test
    void otelSdkGrpcExportersFillTheStores() throws Exception {
        try (ConsoleServer console = console()) {
            assertThat(console.grpcPort()).isPositive().isNotEqualTo(console.port());
            String endpoint = "http://127.0.0.1:" + console.grpcPort();
            Resource resource = Resource.getDefault()
                    .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "grpc-shop")));
            OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .setResource(resource)
                            .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
                                    .setEndpoint(endpoint)
                                    .addHeader("Authorization", "Bearer " + TOKEN)
                                    .setCompression("gzip")
                                    .build()))
                            .build())
                    .setLoggerProvider(SdkLoggerProvider.builder()
                            .setResource(resource)
                            .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpGrpcLogRecordExporter.builder()
                                    .setEndpoint(endpoint)
                                    .addHeader("Authorization", "Bearer " + TOKEN)
                                    .build()))
                            .build())
                    .setMeterProvider(SdkMeterProvider.builder()
                            .setResource(resource)
                            .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                                            .setEndpoint(endpoint)
                                            .addHeader("Authorization", "Bearer " + TOKEN)
                                            .setCompression("gzip")
                                            .build())
                                    .setInterval(Duration.ofMillis(300))
                                    .build())
                            .build())
                    .build();
            try {
                Span span = sdk.getTracer("grpc-it")
                        .spanBuilder("GET /grpc")
                        .setSpanKind(SpanKind.SERVER)
                        .setAttribute("http.route", "/grpc")
                        .startSpan();
                String traceId = span.getSpanContext().getTraceId();
                span.end();
                sdk.getLogsBridge()
                        .get("grpc-it")
                        .logRecordBuilder()
                        .setSeverity(Severity.WARN)
                        .setBody("over grpc")
                        .emit();
                sdk.getMeter("grpc-it").counterBuilder("grpc_requests").build().add(3);
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(api(console, "/api/traces/" + traceId)
                                    .at("/spans/0/name")
                                    .asText())
                            .isEqualTo("GET /grpc");
                    assertThat(api(console, "/api/logs?service=grpc-shop")
                                    .at("/logs/0/body")
                                    .asText())
                            .isEqualTo("over grpc");
                    assertThat(api(console, "/api/metrics?name=grpc_requests")
                                    .at("/series/0/value")
                                    .asDouble())
                            .isEqualTo(3.0);
                });
            } finally {
                sdk.shutdown().join(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void hostileCallsGetTheirStatusAndDoNotDisturbTheConsole() throws Exception {
        try (ConsoleServer console = console()) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", console.grpcPort())
                    .usePlaintext()
                    .maxInboundMessageSize(1 << 20)
                    .build();
            try {
                Metadata auth = new Metadata();
                auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                io.grpc.Channel authed =
                        io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth));

                // no token
                assertThat(status(() -> call(channel, CallOptions.DEFAULT, validRequest())))
                        .isEqualTo(Status.Code.UNAUTHENTICATED);
                // garbage bytes
                assertThat(status(() -> call(authed, CallOptions.DEFAULT, new byte[] {(byte) 0xff, 0x01, 0x02, 0x03})))
                        .isEqualTo(Status.Code.INVALID_ARGUMENT);
                // over the limit as sent
                assertThat(status(() -> call(authed, CallOptions.DEFAULT, oversizeRequest())))
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                // small on the wire, over the limit once decompressed (gzip bomb)
                assertThat(status(() -> call(authed, CallOptions.DEFAULT.withCompression("gzip"), oversizeRequest())))
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                // and a valid gzip-compressed export still goes through
                assertThat(call(authed, CallOptions.DEFAULT.withCompression("gzip"), validRequest()))
                        .isNotNull();
                assertThat(api(console, "/api/traces?service=raw-grpc").get("traces"))
                        .hasSize(1);
                JsonNode receiver = api(console, "/api/stats").get("receiver");
                assertThat(receiver.get("unauthorized").asLong()).isEqualTo(1);
                assertThat(receiver.get("badRequests").asLong()).isEqualTo(1);
                assertThat(receiver.get("oversize").asLong())
                        .isEqualTo(1); // the decompressed one; grpc-java refuses the other unread
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    static byte[] call(io.grpc.Channel channel, CallOptions options, byte[] body) {
        return ClientCalls.blockingUnaryCall(
                channel, EXPORT_TRACES, options.withDeadlineAfter(10, TimeUnit.SECONDS), body);
    }

    static Status.Code status(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        return Status.Code.OK;
    }

    static byte[] validRequest() {
        byte[] trace = new byte[16];
        trace[0] = 7;
        byte[] id = new byte[8];
        id[0] = 9;
        long now = System.currentTimeMillis() * 1_000_000L;
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(DemoLoad.resourceSpans(
                        "raw-grpc",
                        List.of(DemoLoad.span(
                                trace,
                                id,
                                null,
                                "raw",
                                io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER,
                                now,
                                1_000_000,
                                false,
                                "GET",
                                "/raw",
                                200))))
                .build()
                .toByteArray();
    }

    /** A valid request of ~1 MiB, four times the limit, that gzip shrinks to a few KiB. */
    static byte[] oversizeRequest() {
        List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
        byte[] trace = new byte[16];
        trace[0] = 1;
        for (int i = 0; i < 1024; i++) {
            byte[] id = new byte[8];
            id[0] = 1;
            id[7] = (byte) i;
            spans.add(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
                    .setSpanId(com.google.protobuf.ByteString.copyFrom(id))
                    .setName("x".repeat(1024))
                    .build());
        }
        byte[] body = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
                .build()
                .toByteArray();
        assertThat(body.length).isGreaterThan(4 * LIMIT);
        assertThat(gzipSize(body)).isLessThan(LIMIT / 8);
        return body;
    }

    static int gzipSize(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.size();
    }

    @Test
    void grpcIsOffByDefaultAndAPortIsValidated() {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start()) {
            assertThat(console.grpcPort()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> ConsoleServer.builder().grpcPort(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grpcPort");
    }
}
