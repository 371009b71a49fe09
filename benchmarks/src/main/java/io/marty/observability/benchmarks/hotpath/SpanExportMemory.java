package io.marty.observability.benchmarks.hotpath;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Heap a bigger span batch holds, for the batch-size default: per batch size, the retained bytes of the ended spans
 * themselves ({@code SpanData} of the realistic HTTP server spans of {@link SpanExportBenchmark}, what the batch
 * processor's queue and batch hold) and of the OTLP/HTTP exporter after it has exported such a batch with the JDK
 * sender and {@code REUSABLE_DATA}: the buffers it keeps for the next export (the marshalled body, the sender's
 * copy of it in 16 KiB chunks, the reusable marshalers' state). Each is measured as heap in use after full GCs while
 * it is held minus once it is released, back to back, so that nothing else living or dying in the JVM between two
 * readings counts; run with {@code -XX:+UseSerialGC -XX:-UseTLAB} so that the readings are exact.
 *
 * <pre>
 * java -XX:+UseSerialGC -XX:-UseTLAB -Xmx512m -cp benchmarks/target/benchmarks.jar \
 *     io.marty.observability.benchmarks.hotpath.SpanExportMemory [512,2048,4096,8192]
 * </pre>
 */
public final class SpanExportMemory {
    private SpanExportMemory() {}

    public static void main(String[] args) throws Throwable {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "512,2048,4096,8192").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
        // the spans first, while no exporter thread that could end during a measurement exists
        long[] spanBytes = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            spanBytes[i] = spanBytes(sizes[i]);
        }
        // classes, static state and the first HttpClient: paid once, not per batch size
        SpanExportBenchmark warm = SpanExportCpuTime.setUp("jdk:64");
        warm.exportBatch();
        warm.tearDown();
        System.out.printf(
                Locale.ROOT,
                "%-8s %14s %12s %16s %14s %14s %15s%n",
                "batch",
                "SpanData KiB",
                "B/span",
                "exporter KiB",
                "B/span",
                "body B/span",
                "sender threads");
        for (int i = 0; i < sizes.length; i++) {
            int n = sizes[i];
            long[] body = new long[2];
            long exporterBytes = exporterAndBatchBytes(n, body) - spanBytes[i];
            System.out.printf(
                    Locale.ROOT,
                    "%-8d %14.0f %12.0f %16.0f %14.0f %14.0f %15d%n",
                    n,
                    spanBytes[i] / 1024.0,
                    (double) spanBytes[i] / n,
                    exporterBytes / 1024.0,
                    (double) exporterBytes / n,
                    (double) body[0] / n,
                    body[1]);
        }
        System.exit(0);
    }

    /** Heap retained by {@code n} ended spans: in use while they are held minus in use once they are released. */
    private static long spanBytes(int n) throws InterruptedException {
        List<SpanData> spans = SpanExportBenchmark.realisticBatch(n);
        long held = usedAfterGc();
        Reference.reachabilityFence(spans);
        spans = null;
        return held - usedAfterGc();
    }

    /**
     * Heap held by an exporter (with its batch of {@code n} spans and its sink) after it has exported that batch ten
     * times, minus the heap in use once it is shut down and its sender threads have ended; the body size goes to
     * {@code body[0]}, the number of sender threads (each keeps its own buffers) to {@code body[1]}.
     */
    private static long exporterAndBatchBytes(int n, long[] body) throws Throwable {
        SpanExportBenchmark b = SpanExportCpuTime.setUp("jdk:" + n);
        for (int k = 0; k < 10; k++) {
            b.exportBatch();
        }
        body[0] = b.lastBodyBytes;
        body[1] = senderThreads();
        long held = usedAfterGc();
        b.tearDown();
        b = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (senderThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return held - usedAfterGc();
    }

    /** Live threads of the JDK sender's executor. */
    private static long senderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jdkhttp-executor"))
                .count();
    }

    /** Heap in use after full collections (exact when allocation buffers are off: {@code -XX:-UseTLAB}). */
    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
