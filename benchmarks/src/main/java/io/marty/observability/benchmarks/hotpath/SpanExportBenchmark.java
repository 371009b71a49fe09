package io.marty.observability.benchmarks.hotpath;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the span export thread pays per batch: one OTLP/HTTP export (protobuf marshalling + the HTTP
 * sender, OkHttp or the JDK {@code HttpClient}) of {@code batchSize} (512 by default) realistic HTTP server spans (15 attributes each, the BatchSpanProcessor's default batch) to
 * an in-process sink that reads the body and answers 200, with the exporter's two memory modes
 * ({@code REUSABLE_DATA} is the default in SDK 1.65.0; {@code IMMUTABLE_DATA} allocates fresh
 * marshalers per export). Run with {@code -prof gc} to see the allocation per batch.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar SpanExportBenchmark -f 1 -wi 3 -i 5 -prof gc}</pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dsun.net.httpserver.nodelay=true", "-Xms256m", "-Xmx256m"})
public class SpanExportBenchmark {
    static final int BATCH = 512;

    /** Name of the OTLP/HTTP sink's handler thread, so that {@link SpanExportCpuTime} can tell the sink's CPU apart. */
    static final String SINK_THREAD = "otlp-sink-http";

    /** Spans per export: the SDK's default batch (512) or four times that. Divide the score by it for µs per span. */
    @Param({"512"})
    public int batchSize;

    /**
     * Transport: OTLP/HTTP with {@code jdk} (the JDK {@code HttpClient}, what Marty's exporters use) or {@code okhttp}
     * (the SDK's default sender, no {@code TCP_NODELAY}); or {@code grpc}: OTLP/gRPC ({@code OtlpGrpcSpanExporter} with
     * its default sender) to a gRPC sink that reads the request and answers an empty response.
     */
    @Param({"okhttp"})
    public String sender;

    @Param({"REUSABLE_DATA", "IMMUTABLE_DATA"})
    public MemoryMode memoryMode;

    /** OTLP/HTTP body compression: {@code none} (the SDK default) or {@code gzip}. Only used by exportBatch. */
    @Param({"none", "gzip"})
    public String compression;

    private HttpServer sink;
    /** Size of the last OTLP/HTTP body the sink read. */
    volatile long lastBodyBytes;

    private io.grpc.Server grpcSink;
    private SpanExporter exporter;
    private List<SpanData> batch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        sink.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                lastBodyBytes = in.transferTo(OutputStreamSink.INSTANCE);
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        sink.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, SINK_THREAD)));
        sink.start();
        batch = realisticBatch(batchSize);
        if (sender.equals("grpc")) {
            grpcSink = grpcSink();
            exporter = OtlpGrpcSpanExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + grpcSink.getPort())
                    .setMemoryMode(memoryMode)
                    .setCompression(compression)
                    .build();
            resolve();
            return;
        }
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder();
        if (sender.equals("jdk")) {
            builder.setComponentLoader(jdkSender());
        } else if (!sender.equals("okhttp")) {
            throw new IllegalArgumentException("sender must be jdk, okhttp or grpc, got '" + sender + "'");
        }
        exporter = builder.setEndpoint("http://127.0.0.1:" + sink.getAddress().getPort() + "/v1/traces")
                .setMemoryMode(memoryMode)
                .setCompression(compression)
                .build();
        resolve();
    }

    private void resolve() {
        try {
            resolveMarshalers();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("OTLP marshalers not found (SDK version changed?)", e);
        }
    }

    /** An OTLP/gRPC trace endpoint that reads each request and answers an empty ExportTraceServiceResponse. */
    private static io.grpc.Server grpcSink() throws IOException {
        io.grpc.MethodDescriptor.Marshaller<byte[]> bytes = new io.grpc.MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new java.io.ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    // read and discarded like the HTTP sink: a retained copy of a 1 MB body would be a humongous
                    // object and its GC would be counted on the exporter's side by SpanExportCpuTime
                    stream.transferTo(OutputStreamSink.INSTANCE);
                    return new byte[0];
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        io.grpc.MethodDescriptor<byte[], byte[]> export = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .setRequestMarshaller(bytes)
                .setResponseMarshaller(bytes)
                .build();
        io.grpc.ServerServiceDefinition service = io.grpc.ServerServiceDefinition.builder(
                        "opentelemetry.proto.collector.trace.v1.TraceService")
                .addMethod(export, io.grpc.stub.ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(new byte[0]);
                    response.onCompleted();
                }))
                .build();
        return io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        exporter.shutdown().join(5, TimeUnit.SECONDS);
        if (sink != null) {
            sink.stop(0);
        }
        if (grpcSink != null) {
            grpcSink.shutdownNow();
        }
    }

    /** One export of 512 spans, waiting for the sink's 200 (as the BatchSpanProcessor does). */
    @Benchmark
    public boolean exportBatch() {
        CompletableResultCode result = exporter.export(batch).join(10, TimeUnit.SECONDS);
        if (!result.isSuccess()) {
            throw new IllegalStateException("export failed");
        }
        return true;
    }

    /**
     * Protobuf marshalling alone (what the export thread spends CPU on, without the socket), through the
     * exporter's own marshalers: a fresh {@code TraceRequestMarshaler} per batch (IMMUTABLE_DATA) or one
     * reused {@code LowAllocationTraceRequestMarshaler} (REUSABLE_DATA). They live in the runtime-scoped,
     * internal {@code opentelemetry-exporter-otlp-common}, hence the method handles (resolved once).
     */
    @Benchmark
    public Object marshalOnly() throws Throwable {
        Object marshaler;
        if (memoryMode == MemoryMode.REUSABLE_DATA) {
            marshaler = reusableMarshaler;
            initialize.invoke(marshaler, batch);
        } else {
            marshaler = create.invoke(batch);
        }
        writeBinaryTo.invoke(marshaler, OutputStreamSink.INSTANCE);
        if (memoryMode == MemoryMode.REUSABLE_DATA) {
            reset.invoke(marshaler);
        }
        return marshaler;
    }

    private Object reusableMarshaler;
    private MethodHandle create;
    private MethodHandle initialize;
    private MethodHandle reset;
    private MethodHandle writeBinaryTo;

    private void resolveMarshalers() throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        String pkg = "io.opentelemetry.exporter.internal.otlp.traces.";
        Class<?> marshalerType = Class.forName("io.opentelemetry.exporter.internal.marshal.Marshaler");
        Class<?> immutable = Class.forName(pkg + "TraceRequestMarshaler");
        Class<?> reusable = Class.forName(pkg + "LowAllocationTraceRequestMarshaler");
        create = lookup.findStatic(immutable, "create", MethodType.methodType(immutable, Collection.class));
        initialize = lookup.findVirtual(reusable, "initialize", MethodType.methodType(void.class, Collection.class));
        reset = lookup.findVirtual(reusable, "reset", MethodType.methodType(void.class));
        writeBinaryTo = lookup.findVirtual(
                marshalerType, "writeBinaryTo", MethodType.methodType(void.class, java.io.OutputStream.class));
        reusableMarshaler = reusable.getConstructor().newInstance();
    }

    /**
     * Loads only the JDK {@code HttpClient} sender (both senders are on the class path): the same choice Marty's
     * exporters make in core, whose class is internal there.
     */
    private static ComponentLoader jdkSender() {
        ComponentLoader all = ComponentLoader.forClassLoader(SpanExportBenchmark.class.getClassLoader());
        return new ComponentLoader() {
            @Override
            public <T> Iterable<T> load(Class<T> spiClass) {
                List<T> picked = new ArrayList<>();
                for (T provider : all.load(spiClass)) {
                    if (spiClass != HttpSenderProvider.class
                            || provider.getClass().getName().contains(".sender.jdk.")) {
                        picked.add(provider);
                    }
                }
                return picked;
            }
        };
    }

    /** Ended spans as the SDK hands them to the exporter: server spans with the attributes our HTTP module sets. */
    static List<SpanData> realisticBatch(int size) {
        List<SpanData> spans = new ArrayList<>(size);
        SpanProcessor collect = new SpanProcessor() {
            @Override
            public void onStart(io.opentelemetry.context.Context parent, ReadWriteSpan span) {}

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                spans.add(span.toSpanData()); // what the BatchSpanProcessor hands to the exporter
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.builder()
                        .put("service.name", "orders")
                        .put("service.version", "1.4.2")
                        .put("deployment.environment.name", "production")
                        .put("service.instance.id", "9f3c2a1e-5b7d-4c1a-8e2f-0a1b2c3d4e5f")
                        .build()));
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(collect)
                .build()) {
            Tracer tracer = provider.get("io.marty.observability.http", "1.0.0");
            for (int i = 0; i < size; i++) {
                int status = i % 50 == 0 ? 500 : 200;
                Span span = tracer.spanBuilder("GET /orders/{id}")
                        .setSpanKind(SpanKind.SERVER)
                        .setAttribute("http.request.method", "GET")
                        .setAttribute("url.path", "/orders/" + (100000 + i))
                        .setAttribute("url.scheme", "http")
                        .setAttribute("http.route", "/orders/{id}")
                        .setAttribute("server.address", "orders.internal")
                        .setAttribute(AttributeKey.longKey("server.port"), 8080L)
                        .setAttribute("client.address", "10.0.3." + (i % 250))
                        .setAttribute("network.protocol.version", "1.1")
                        .setAttribute("user_agent.original", "checkout-service/2.3 (okhttp/4.12)")
                        .setAttribute("mmf.correlation_id", "corr-" + Integer.toHexString(0x5f3a0000 + i))
                        .setAttribute("mmf.request_id", "req-" + Integer.toHexString(0x7e110000 + i))
                        .setAttribute("mmf.parent_request_id", "req-" + Integer.toHexString(0x1a2b0000 + i))
                        .setAttribute("mmf.user_id", "user-" + (i % 97))
                        .setAttribute("mmf.session_id", "sess-" + (i % 31))
                        .startSpan();
                span.setAttribute(AttributeKey.longKey("http.response.status_code"), (long) status);
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            }
        }
        return List.copyOf(spans);
    }

    /** Discards what the sink reads. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
