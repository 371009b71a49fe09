package io.marty.observability.benchmarks.hotpath;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.marty.observability.benchmarks.overhead.proto.HelloGrpc;
import io.marty.observability.benchmarks.overhead.proto.HelloReply;
import io.marty.observability.benchmarks.overhead.proto.HelloRequest;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A unary call over gRPC's in-process transport with direct executors (everything on the caller's
 * thread), with and without {@link MartyGrpcServerInterceptor}: the interceptor's whole cost per
 * call (extract, span, RED metrics, context attach per listener callback, echoed ids) without
 * network or thread hand-offs. {@code sampleRate=0.05} (the production default) measures the unsampled path;
 * the bare variant ignores it.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar GrpcInterceptorBenchmark -prof gc}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GrpcInterceptorBenchmark {

    @Param({"bare", "instrumented"})
    public String variant;

    @Param({"1.0", "0.05"})
    public double sampleRate;

    private MartyObservability observability;
    private Server server;
    private ManagedChannel channel;
    private HelloGrpc.HelloBlockingStub stub;
    private final HelloRequest request =
            HelloRequest.newBuilder().setName("bench").build();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        observability = HotPathState.start(sampleRate);
        String name = "bench-" + System.nanoTime();
        HelloGrpc.HelloImplBase service = new HelloGrpc.HelloImplBase() {
            @Override
            public void say(HelloRequest req, StreamObserver<HelloReply> out) {
                out.onNext(HelloReply.newBuilder().setMessage("hello").build());
                out.onCompleted();
            }
        };
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        if (variant.equals("instrumented")) {
            builder.addService(ServerInterceptors.intercept(service, MartyGrpcServerInterceptor.create(observability)));
        } else {
            builder.addService(service);
        }
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = HelloGrpc.newBlockingStub(channel);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.shutdownNow();
        server.shutdownNow();
        observability.close();
    }

    @Benchmark
    public HelloReply unary() {
        return stub.say(request);
    }
}
