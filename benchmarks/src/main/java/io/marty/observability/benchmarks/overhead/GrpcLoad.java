package io.marty.observability.benchmarks.overhead;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.marty.observability.benchmarks.overhead.proto.HelloGrpc;
import io.marty.observability.benchmarks.overhead.proto.HelloReply;
import io.marty.observability.benchmarks.overhead.proto.HelloRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A closed-loop gRPC unary load generator, the {@code wrk -t2 -c32} of the gRPC service: {@code --connections}
 * channels with {@code --concurrency} calls in flight in total; each completion issues the next call until the
 * deadline. The first {@code --warmup} seconds are not recorded. Latencies go into a fixed 10&nbsp;µs-resolution
 * histogram (bounded memory). Prints one JSON line.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.marty.observability.benchmarks.overhead.GrpcLoad --port 9090 --warmup 5 --duration 15
 * }</pre>
 */
public final class GrpcLoad {

    private static final int RESOLUTION_NANOS = 10_000;
    private static final int BUCKETS = 200_000; // 2 s; slower calls land in the last bucket

    private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean recording;
    private volatile long deadlineNanos;

    private GrpcLoad() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int port = args.getInt("port", 9090);
        int connections = args.getInt("connections", 2);
        int concurrency = args.getInt("concurrency", 32);
        double warmup = args.getDouble("warmup", 5);
        double duration = args.getDouble("duration", 15);
        new GrpcLoad().run(port, connections, concurrency, warmup, duration);
    }

    private void run(int port, int connections, int concurrency, double warmup, double duration)
            throws InterruptedException {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .directExecutor()
                    .build());
        }
        HelloRequest request = HelloRequest.newBuilder().setName("bench").build();
        long start = System.nanoTime();
        long recordFrom = start + (long) (warmup * 1e9);
        deadlineNanos = recordFrom + (long) (duration * 1e9);
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            HelloGrpc.HelloStub stub = HelloGrpc.newStub(channels.get(i % connections));
            issue(stub, request, done);
        }
        long sleep = recordFrom - System.nanoTime();
        if (sleep > 0) {
            TimeUnit.NANOSECONDS.sleep(sleep);
        }
        histogramReset();
        recording = true;
        System.out.println("RECORDING"); // the harness samples the server's CPU time here and at the result
        System.out.flush();
        long measuredStart = System.nanoTime();
        boolean finished = done.await((long) (duration * 1e9) + 30_000_000_000L, TimeUnit.NANOSECONDS);
        long measuredNanos = Math.min(System.nanoTime(), deadlineNanos) - measuredStart;
        recording = false;
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        long n = recorded.get();
        System.out.println(String.format(
                Locale.ROOT,
                "{\"requests\":%d,\"seconds\":%.3f,\"rps\":%.1f,\"p50_us\":%.1f,\"p90_us\":%.1f,"
                        + "\"p99_us\":%.1f,\"p999_us\":%.1f,\"errors\":%d,\"finished\":%b}",
                n,
                measuredNanos / 1e9,
                n / (measuredNanos / 1e9),
                percentile(0.50),
                percentile(0.90),
                percentile(0.99),
                percentile(0.999),
                errors.get(),
                finished));
    }

    private void histogramReset() {
        for (int i = 0; i < BUCKETS; i++) {
            histogram.set(i, 0);
        }
        recorded.set(0);
        errors.set(0);
    }

    private void issue(HelloGrpc.HelloStub stub, HelloRequest request, CountDownLatch done) {
        long t0 = System.nanoTime();
        if (t0 >= deadlineNanos) {
            done.countDown();
            return;
        }
        stub.say(request, new StreamObserver<>() {
            @Override
            public void onNext(HelloReply value) {}

            @Override
            public void onError(Throwable t) {
                if (recording) {
                    errors.incrementAndGet();
                }
                issue(stub, request, done);
            }

            @Override
            public void onCompleted() {
                if (recording) {
                    long bucket = (System.nanoTime() - t0) / RESOLUTION_NANOS;
                    histogram.incrementAndGet((int) Math.min(bucket, BUCKETS - 1));
                    recorded.incrementAndGet();
                }
                issue(stub, request, done);
            }
        });
    }

    /** Upper bound of the bucket holding the q-quantile, in microseconds. */
    private double percentile(double q) {
        long total = recorded.get();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += histogram.get(i);
            if (seen >= rank) {
                return (i + 1) * (RESOLUTION_NANOS / 1000.0);
            }
        }
        return BUCKETS * (RESOLUTION_NANOS / 1000.0);
    }
}
