package io.marty.observability.benchmarks.overhead;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Samples the heap once per interval into a file, one line per sample:
 * {@code epoch_ms heap_used heap_after_last_gc gc_count gc_ms [name=value ...]}. "Heap after GC" is the heap
 * occupancy right after the latest collection (from GC notifications), the figure whose trend shows a leak.
 */
final class Stats implements AutoCloseable {

    private final AtomicLong heapAfterGc = new AtomicLong(-1);
    private final ScheduledExecutorService timer;
    private final PrintWriter out;

    Stats(Path file, long intervalMillis, Supplier<Map<String, Long>> counters) throws IOException {
        out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(
                        (n, h) -> {
                            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                    n.getType())) {
                                return;
                            }
                            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                            long used = 0;
                            for (MemoryUsage u :
                                    info.getGcInfo().getMemoryUsageAfterGc().values()) {
                                used += u.getUsed();
                            }
                            heapAfterGc.set(used);
                        },
                        null,
                        null);
            }
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-stats");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> sample(counters), 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void sample(Supplier<Map<String, Long>> counters) {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        StringBuilder line = new StringBuilder(128)
                .append(System.currentTimeMillis())
                .append(' ')
                .append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
                .append(' ')
                .append(heapAfterGc.get())
                .append(' ')
                .append(gcCount)
                .append(' ')
                .append(gcMillis);
        try {
            counters.get()
                    .forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        } catch (RuntimeException e) {
            line.append(" counters_error=1");
        }
        out.println(line);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        out.close();
    }
}
