package io.marty.observability.core.correlation;

import io.marty.observability.core.internal.MdcContextStorage;
import io.marty.observability.core.internal.ThreadPoolMetrics;
import io.opentelemetry.context.Context;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Wrappers that carry the OTel {@link Context} (and with it the {@link CorrelationContext}, the
 * current span and the MDC view) from the submitting thread into tasks. Inside the task the context
 * is current and the MDC holds its values; after the task both are restored to what the worker
 * thread had before (normally empty).
 *
 * <pre>{@code
 * ExecutorService pool = ContextExecutors.wrap(Executors.newFixedThreadPool(4));
 * pool.submit(() -> log.info("has correlation_id in MDC"));
 * CompletableFuture<Order> f = ContextExecutors.supplyAsync(() -> load(id), pool);
 * }</pre>
 */
public final class ContextExecutors {

    static {
        MdcContextStorage.install();
    }

    private ContextExecutors() {}

    /** An executor that runs each task in the context current at {@code execute} time. */
    public static Executor wrap(Executor executor) {
        return Context.taskWrapping(executor);
    }

    /** An executor service that runs each task in the context current at submission time. */
    public static ExecutorService wrap(ExecutorService executor) {
        return Context.taskWrapping(executor);
    }

    /**
     * {@code executor} wrapped like {@link #wrap(ExecutorService)}, and measured as the thread pool
     * {@code poolName}: {@code mmf_executor_active_threads}, {@code mmf_executor_pool_size_threads},
     * {@code mmf_executor_queued_tasks}, {@code mmf_executor_completed_tasks_total} and {@code
     * mmf_executor_rejected_tasks_total} with labels {@code service} and {@code pool}, on the {@code
     * /metrics} of the running {@code MartyObservability}. Rejections are counted by wrapping the
     * pool's {@code RejectedExecutionHandler}, which still decides what happens to the task.
     *
     * <pre>{@code
     * ExecutorService orders = ContextExecutors.wrap("orders", new ThreadPoolExecutor(
     *         4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100)));
     * }</pre>
     */
    public static ExecutorService wrap(String poolName, ThreadPoolExecutor executor) {
        if (poolName == null || poolName.isBlank()) {
            throw new IllegalArgumentException("poolName must not be blank");
        }
        ThreadPoolMetrics.track(poolName, executor);
        return wrap((ExecutorService) executor);
    }

    /** A scheduled executor service that runs each task in the context current at scheduling time. */
    public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
        return Context.taskWrapping(executor);
    }

    /** {@code task} bound to the current context. */
    public static Runnable wrap(Runnable task) {
        return Context.current().wrap(task);
    }

    /** {@code task} bound to the current context. */
    public static <T extends @Nullable Object> Callable<T> wrap(Callable<T> task) {
        return Context.current().wrap(task);
    }

    /** {@code supplier} bound to the current context. */
    public static <T extends @Nullable Object> Supplier<T> wrapSupplier(Supplier<T> supplier) {
        return Context.current().wrapSupplier(supplier);
    }

    /** {@link CompletableFuture#supplyAsync(Supplier, Executor)} with the current context carried. */
    public static <T extends @Nullable Object> CompletableFuture<T> supplyAsync(
            Supplier<T> supplier, Executor executor) {
        return CompletableFuture.supplyAsync(wrapSupplier(supplier), executor);
    }

    /** {@link CompletableFuture#supplyAsync(Supplier)} (common pool) with the current context carried. */
    public static <T extends @Nullable Object> CompletableFuture<T> supplyAsync(Supplier<T> supplier) {
        return supplyAsync(supplier, ForkJoinPool.commonPool());
    }

    /** {@link CompletableFuture#runAsync(Runnable, Executor)} with the current context carried. */
    public static CompletableFuture<Void> runAsync(Runnable task, Executor executor) {
        return CompletableFuture.runAsync(wrap(task), executor);
    }

    /** {@link CompletableFuture#runAsync(Runnable)} (common pool) with the current context carried. */
    public static CompletableFuture<Void> runAsync(Runnable task) {
        return runAsync(task, ForkJoinPool.commonPool());
    }

    /** Whether this JVM has virtual threads (Java 21+). */
    public static boolean virtualThreadsAvailable() {
        return VirtualThreads.FACTORY != null;
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()} (Java 21+) wrapped so that each task runs in
     * the submitter's context.
     *
     * @throws UnsupportedOperationException on a JVM without virtual threads
     */
    public static ExecutorService newVirtualThreadPerTaskExecutor() {
        if (VirtualThreads.FACTORY == null) {
            throw new UnsupportedOperationException(
                    "virtual threads need Java 21 or later; this JVM is " + System.getProperty("java.version"));
        }
        try {
            return wrap((ExecutorService) VirtualThreads.FACTORY.invoke(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread executor", e);
        }
    }

    /** Looked up once: the code is compiled for Java 17, virtual threads exist from Java 21. */
    private static final class VirtualThreads {
        static final Method FACTORY = find();

        private static Method find() {
            try {
                return java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    }
}
