package io.marty.observability.core.internal;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Process-wide table of the thread pools handed to {@code ContextExecutors.wrap(name, pool)}, read at
 * scrape time as {@code mmf_executor_*} metrics. Pools are held weakly and leave the table when
 * collected or terminated; at most {@link #MAX_POOLS} are tracked so a pool-per-request bug cannot
 * grow the exposition without bound.
 */
public final class ThreadPoolMetrics {
    /** Pools tracked at most; later ones run normally but are not measured. */
    public static final int MAX_POOLS = 64;

    public static final String ACTIVE = "mmf_executor_active_threads";
    public static final String POOL_SIZE = "mmf_executor_pool_size_threads";
    public static final String QUEUED = "mmf_executor_queued_tasks";
    public static final String COMPLETED = "mmf_executor_completed_tasks";
    public static final String REJECTED = "mmf_executor_rejected_tasks";

    private static final Logger logger = Logger.getLogger(ThreadPoolMetrics.class.getName());
    private static final Map<String, Pool> POOLS = new ConcurrentHashMap<>();
    private static final AtomicBoolean overflowLogged = new AtomicBoolean();

    private ThreadPoolMetrics() {}

    /**
     * Tracks {@code executor} under {@code name} and counts its rejections by wrapping its {@link
     * RejectedExecutionHandler} (the original handler still decides what happens). A second pool
     * under a name still in use replaces the first.
     */
    public static void track(String name, ThreadPoolExecutor executor) {
        POOLS.values().removeIf(Pool::gone);
        if (POOLS.size() >= MAX_POOLS && !POOLS.containsKey(name)) {
            if (overflowLogged.compareAndSet(false, true)) {
                logger.warning("more than " + MAX_POOLS + " thread pools registered for metrics; pool '" + name
                        + "' and later ones are not measured");
            }
            return;
        }
        LongAdder rejected = new LongAdder();
        RejectedExecutionHandler original = executor.getRejectedExecutionHandler();
        if (original instanceof CountingHandler c) {
            rejected = c.rejected;
        } else {
            executor.setRejectedExecutionHandler(new CountingHandler(original, rejected));
        }
        POOLS.put(name, new Pool(new WeakReference<>(executor), rejected));
    }

    /** A collector that reports every tracked pool with a {@code service} label. */
    public static MultiCollector collector(String service) {
        return () -> snapshot(service);
    }

    private static MetricSnapshots snapshot(String service) {
        GaugeSnapshot.Builder active = GaugeSnapshot.builder().name(ACTIVE).help("Threads running a task, per pool");
        GaugeSnapshot.Builder size = GaugeSnapshot.builder().name(POOL_SIZE).help("Threads in the pool");
        GaugeSnapshot.Builder queued = GaugeSnapshot.builder().name(QUEUED).help("Tasks waiting in the pool's queue");
        CounterSnapshot.Builder completed =
                CounterSnapshot.builder().name(COMPLETED).help("Tasks the pool has completed");
        CounterSnapshot.Builder rejected =
                CounterSnapshot.builder().name(REJECTED).help("Tasks the pool rejected (queue full or shut down)");
        List<String> gone = new ArrayList<>();
        POOLS.forEach((name, pool) -> {
            ThreadPoolExecutor e = pool.executor.get();
            if (e == null || e.isTerminated()) {
                gone.add(name);
                return;
            }
            Labels labels = Labels.of("service", service, "pool", name);
            active.dataPoint(gauge(labels, e.getActiveCount()));
            size.dataPoint(gauge(labels, e.getPoolSize()));
            queued.dataPoint(gauge(labels, e.getQueue().size()));
            completed.dataPoint(counter(labels, e.getCompletedTaskCount()));
            rejected.dataPoint(counter(labels, pool.rejected.sum()));
        });
        gone.forEach(POOLS::remove);
        List<MetricSnapshot> all =
                List.of(active.build(), size.build(), queued.build(), completed.build(), rejected.build());
        return new MetricSnapshots(all);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, double v) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels)
                .value(v)
                .build();
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(Labels labels, double v) {
        return CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(labels)
                .value(v)
                .build();
    }

    private record Pool(WeakReference<ThreadPoolExecutor> executor, LongAdder rejected) {
        boolean gone() {
            ThreadPoolExecutor e = executor.get();
            return e == null || e.isTerminated();
        }
    }

    private static final class CountingHandler implements RejectedExecutionHandler {
        private final RejectedExecutionHandler delegate;
        private final LongAdder rejected;

        CountingHandler(RejectedExecutionHandler delegate, LongAdder rejected) {
            this.delegate = delegate;
            this.rejected = rejected;
        }

        @Override
        public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
            rejected.increment();
            delegate.rejectedExecution(r, executor);
        }
    }
}
