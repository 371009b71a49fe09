package io.marty.observability.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registered health checks and their evaluation. Checks run in parallel on a small bounded executor,
 * each with its timeout; concurrent callers share a run in progress. A check that hangs is reported
 * DOWN after its timeout and, while it is still stuck, UNKNOWN on later calls (it is never started
 * twice), so hung checks cannot pile up threads.
 *
 * <pre>{@code
 * HealthRegistry health = MartyObservability.current().orElseThrow().health();
 * health.register(HealthCheck.ofStatus("disk", () -> freeBytes() > 1 << 30 ? HealthStatus.UP : HealthStatus.DEGRADED));
 * HealthReport report = health.check();   // report.httpStatus(), report.toJson()
 * }</pre>
 */
public final class HealthRegistry implements AutoCloseable {
    private static final int MAX_THREADS = 4;

    private final Duration defaultTimeout;
    private final Map<String, Entry> checks = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;

    private HealthRegistry(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
                    Thread t = new Thread(r, "marty-health-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    /** A registry whose checks time out after {@code defaultTimeout} unless they say otherwise. */
    public static HealthRegistry create(Duration defaultTimeout) {
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive, was " + defaultTimeout);
        }
        return new HealthRegistry(defaultTimeout);
    }

    /**
     * Registers a check.
     *
     * @throws IllegalArgumentException when a check of that name is already registered
     */
    public void register(HealthCheck check) {
        Objects.requireNonNull(check, "check");
        String name = Objects.requireNonNull(check.name(), "check.name()");
        if (checks.putIfAbsent(name, new Entry(check)) != null) {
            throw new IllegalArgumentException("a health check named '" + name + "' is already registered");
        }
    }

    /** Removes a check; returns whether it was registered. */
    public boolean unregister(String name) {
        return checks.remove(name) != null;
    }

    /** Names of the registered checks. */
    public List<String> names() {
        return new ArrayList<>(checks.keySet());
    }

    /** Runs every check (in parallel, each bounded by its timeout) and aggregates the results. */
    public HealthReport check() {
        Map<String, Pending> pending = new LinkedHashMap<>();
        for (Entry e : checks.values()) {
            pending.put(e.check.name(), submit(e));
        }
        Map<String, HealthCheckResult> results = new LinkedHashMap<>();
        HealthStatus overall = HealthStatus.UP;
        for (Map.Entry<String, Pending> p : pending.entrySet()) {
            HealthCheckResult r = p.getValue().await();
            results.put(p.getKey(), r);
            HealthStatus s = r.status();
            if (s == HealthStatus.DOWN && !p.getValue().entry.check.critical()) {
                s = HealthStatus.DEGRADED;
            }
            overall = overall.worst(s);
        }
        return new HealthReport(overall, results, Instant.now());
    }

    /** Runs one check by name; UNKNOWN when no such check exists. */
    public HealthCheckResult check(String name) {
        Entry e = checks.get(name);
        return e == null
                ? HealthCheckResult.unknown("no health check named '" + name + "'")
                : submit(e).await();
    }

    /** Stops the executor (interrupting running checks). */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private Pending submit(Entry e) {
        Duration timeout = e.check.timeout() != null ? e.check.timeout() : defaultTimeout;
        synchronized (e) {
            if (e.running.get()) {
                Future<HealthCheckResult> f = e.inFlight;
                if (f != null && !f.isDone()) {
                    // a concurrent caller (e.g. liveness and readiness probes at once) shares the run
                    return new Pending(e, f, e.inFlightStartNanos, timeout, null);
                }
                // timed out and cancelled, but the check's thread is still stuck in it
                return new Pending(
                        e,
                        null,
                        System.nanoTime(),
                        timeout,
                        HealthCheckResult.unknown("previous run still in progress"));
            }
            long start = System.nanoTime();
            e.running.set(true);
            try {
                Future<HealthCheckResult> f = executor.submit(() -> {
                    try {
                        return e.check.check();
                    } finally {
                        e.running.set(false);
                    }
                });
                e.inFlight = f;
                e.inFlightStartNanos = start;
                return new Pending(e, f, start, timeout, null);
            } catch (RejectedExecutionException ex) {
                e.running.set(false);
                return new Pending(e, null, start, timeout, HealthCheckResult.unknown("health executor saturated"));
            }
        }
    }

    private static final class Entry {
        final HealthCheck check;
        final AtomicBoolean running = new AtomicBoolean();
        volatile Future<HealthCheckResult> inFlight;
        volatile long inFlightStartNanos;

        Entry(HealthCheck check) {
            this.check = check;
        }
    }

    private static final class Pending {
        final Entry entry;
        final Future<HealthCheckResult> future;
        final long startNanos;
        final Duration timeout;
        final HealthCheckResult immediate;

        Pending(Entry entry, Future<HealthCheckResult> future, long startNanos, Duration timeout, HealthCheckResult r) {
            this.entry = entry;
            this.future = future;
            this.startNanos = startNanos;
            this.timeout = timeout;
            this.immediate = r;
        }

        HealthCheckResult await() {
            if (immediate != null) {
                return immediate.withDuration(Duration.ZERO);
            }
            long remaining = timeout.toNanos() - (System.nanoTime() - startNanos);
            try {
                HealthCheckResult r = future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
                return r == null
                        ? HealthCheckResult.unknown("check returned no result").withDuration(took)
                        : r.withDuration(took);
            } catch (TimeoutException e) {
                future.cancel(true);
                return HealthCheckResult.down("timed out after " + timeout.toMillis() + "ms")
                        .withDuration(timeout);
            } catch (ExecutionException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                return HealthCheckResult.down(
                                c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                        .withDuration(Duration.ofNanos(System.nanoTime() - startNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HealthCheckResult.unknown("interrupted while waiting for the check");
            } catch (java.util.concurrent.CancellationException e) {
                return HealthCheckResult.unknown("check was cancelled");
            }
        }
    }
}
