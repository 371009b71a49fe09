package io.marty.observability.benchmarks.hotpath;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;

/**
 * Heap a bigger span batch holds, for the batch-size default: per batch size, the retained bytes of the ended spans
 * themselves ({@code SpanData} of the realistic HTTP server spans of {@link SpanExportBenchmark}, what the batch
 * processor's queue and batch hold) and of the OTLP/HTTP exporter after it has exported such a batch with the JDK
 * sender and {@code REUSABLE_DATA}: the buffers it keeps for the next export (the marshalled body, the sender's
 * copy of it in 16 KiB chunks, the reusable marshalers' state). Heap in use after a full GC, before and after;
 * run with {@code -XX:+UseSerialGC} so that the figure is exact.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx512m -cp benchmarks/target/benchmarks.jar \
 *     io.marty.observability.benchmarks.hotpath.SpanExportMemory [512,2048,4096,8192]
 * </pre>
 */
public final class SpanExportMemory {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private SpanExportMemory() {}

    public static void main(String[] args) throws Throwable {
        String sizes = args.length > 0 ? args[0] : "512,2048,4096,8192";
        // classes, static state and the first HttpClient: paid once, not per batch size
        SpanExportBenchmark warm = SpanExportCpuTime.setUp("jdk:64");
        warm.exportBatch();
        warm.tearDown();
        System.out.printf(
                Locale.ROOT,
                "%-8s %14s %12s %16s %14s %14s%n",
                "batch",
                "SpanData KiB",
                "B/span",
                "exporter KiB",
                "B/span",
                "body B/span");
        for (String s : sizes.split(",")) {
            int n = Integer.parseInt(s.trim());
            long before = usedAfterGc();
            List<SpanData> spans = SpanExportBenchmark.realisticBatch(n);
            long spanBytes = usedAfterGc() - before;
            spans = null; // the exporter case below builds its own batch

            SpanExportBenchmark b = SpanExportCpuTime.setUp("jdk:" + n);
            long idle = usedAfterGc();
            for (int i = 0; i < 3; i++) {
                b.exportBatch();
            }
            long exporterBytes = usedAfterGc() - idle;
            long body = b.lastBodyBytes;
            b.tearDown();
            System.out.printf(
                    Locale.ROOT,
                    "%-8d %14.0f %12.0f %16.0f %14.0f %14.0f%n",
                    n,
                    spanBytes / 1024.0,
                    (double) spanBytes / n,
                    exporterBytes / 1024.0,
                    (double) exporterBytes / n,
                    (double) body / n);
        }
        System.exit(0);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
