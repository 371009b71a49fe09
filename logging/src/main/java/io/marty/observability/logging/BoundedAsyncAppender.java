package io.marty.observability.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.marty.observability.logging.internal.DropCounter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Marker;

/**
 * Bounded asynchronous appender: the caller only captures the event (MDC, thread name, formatted
 * message, optionally caller data) and enqueues it; one daemon worker writes to the attached
 * appenders. When the queue is full the {@link OverflowPolicy} decides:
 *
 * <ul>
 *   <li>{@code DROP_OLDEST} (default): evict the oldest queued event, so the newest context survives;
 *   <li>{@code DROP_NEWEST}: reject the new event — except ERROR, security and audit events, which
 *       wait for room like {@code BLOCK};
 *   <li>{@code BLOCK}: wait up to {@link #setBlockTimeoutMillis} for room, then drop it.
 * </ul>
 *
 * <p>The worker does not wake up per event: it drains the queue in batches and, when it is empty,
 * parks for at most {@link #setParkMillis parkMillis} (5 ms). A caller wakes it only when the queue
 * reaches {@link #setWakeThreshold wakeThreshold} (half full), for ERROR/security/audit events, when
 * the queue is full, at stop, or when the worker fell into its idle sleep after ~1 s without events.
 * Each batch is written child by child; a plain {@code OutputStreamAppender}/{@code
 * FileAppender}/{@code ConsoleAppender} child without filters whose encoder is {@link
 * MartyJsonEncoder} gets the events encoded straight into its stream (no {@code byte[]} per event),
 * and every {@code OutputStreamAppender} child is flushed once per batch ({@link
 * #setFlushPerBatch}), so a child with {@code immediateFlush=false} writes one batch per syscall
 * while its file still lags the queue by at most one batch.
 *
 * <p>Every drop is counted per appender ({@link #getDropped}) and in {@code
 * mmf_log_events_dropped_total{reason="queue_full"|"queue_timeout"|"shutdown"}}. {@link #stop()}
 * stops accepting, lets the worker write every event already accepted (bounded by {@link
 * #setMaxFlushTimeMillis}) and then stops the attached appenders, so a graceful shutdown (Logback's
 * {@code <shutdownHook/>} or {@code LoggerContext.stop()}) loses nothing that was accepted.
 *
 * <pre>{@code
 * <appender name="ASYNC" class="io.marty.observability.logging.BoundedAsyncAppender">
 *   <queueSize>8192</queueSize>
 *   <overflowPolicy>drop_oldest</overflowPolicy>
 *   <parkMillis>5</parkMillis>          <!-- worker's nap when idle: bound on write latency -->
 *   <appender-ref ref="JSON_FILE"/>
 * </appender>
 * }</pre>
 */
public class BoundedAsyncAppender extends AttachingAppender {
    /** Default queue capacity: {@value}. */
    public static final int DEFAULT_QUEUE_SIZE = 8192;
    /** Default wait for room under {@link OverflowPolicy#BLOCK}: {@value} ms. */
    public static final long DEFAULT_BLOCK_TIMEOUT_MILLIS = 100;
    /** Default bound on the final flush at stop: {@value} ms. */
    public static final long DEFAULT_MAX_FLUSH_TIME_MILLIS = 10_000;
    /** Default nap of the idle worker, the bound on how long an accepted event waits: {@value} ms. */
    public static final long DEFAULT_PARK_MILLIS = 5;
    /** Default most events the worker takes per batch: {@value}. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 512;

    /** Worker states; callers read it to decide whether to wake the worker. */
    private static final int RUNNING = 0;
    /** Timed nap of {@code parkMillis}: woken only at the threshold, for priority events, at stop. */
    private static final int NAPPING = 1;
    /** Idle for a while: parks longer, and the next event wakes it. */
    private static final int SLEEPING = 2;
    /** Naps in a row without events before the worker goes to {@link #SLEEPING}. */
    private static final int NAPS_BEFORE_SLEEP = 200;
    /** Upper bound of one idle sleep (a safety net: a caller wakes the sleeping worker). */
    private static final long SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What to do when the queue is full. */
    public enum OverflowPolicy {
        DROP_OLDEST,
        DROP_NEWEST,
        BLOCK
    }

    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final AtomicInteger inFlight = new AtomicInteger();
    private int queueSize = DEFAULT_QUEUE_SIZE;
    private OverflowPolicy policy = OverflowPolicy.DROP_OLDEST;
    private long blockTimeoutMillis = DEFAULT_BLOCK_TIMEOUT_MILLIS;
    private long maxFlushTimeMillis = DEFAULT_MAX_FLUSH_TIME_MILLIS;
    private boolean includeCallerData;
    private long parkMillis = DEFAULT_PARK_MILLIS;
    private int wakeThreshold;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private boolean flushPerBatch = true;

    private ArrayBlockingQueue<ILoggingEvent> queue;
    private volatile boolean accepting;
    private Thread worker;
    private final AtomicInteger workerState = new AtomicInteger(RUNNING);
    private int threshold;
    private long parkNanos;
    private long napNanosForTest;
    private int napsBeforeSleep = NAPS_BEFORE_SLEEP;
    private long sleepNanos = SLEEP_NANOS;
    private int ioErrorsReported;

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (queueSize < 1) {
            addError("queueSize must be >= 1, got " + queueSize);
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            addWarn("no appender attached to [" + name + "]: events will be discarded");
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        threshold = wakeThreshold > 0 ? Math.min(wakeThreshold, queueSize) : Math.max(1, queueSize / 2);
        parkNanos = napNanosForTest > 0 ? napNanosForTest : TimeUnit.MILLISECONDS.toNanos(parkMillis);
        workerState.set(RUNNING);
        accepting = true;
        worker = new Thread(this::drainLoop, "marty-log-async-" + (name == null ? "appender" : name));
        worker.setDaemon(true);
        worker.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        inFlight.incrementAndGet();
        try {
            if (!accepting) {
                drop(DropReason.SHUTDOWN);
                return;
            }
            // capture MDC, thread name, formatted message (and caller data) on the caller thread
            // (Logback 1.5: the formatted message, the thread name and the MDC map — the MDC adapter's
            // read-only copy, shared by every event until the MDC changes. The encoder needs all three.)
            event.prepareForDeferredProcessing();
            if (includeCallerData) {
                event.getCallerData();
            }
            enqueue(event);
            signalAfterOffer(event);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void enqueue(ILoggingEvent event) {
        if (queue.offer(event)) {
            return;
        }
        // full: the worker must run now, whatever it was doing
        wake(NAPPING);
        switch (policy) {
            case DROP_NEWEST:
                if (!isPriority(event)) {
                    drop(DropReason.QUEUE_FULL);
                    return;
                }
            // ERROR, security and audit events are worth a bounded wait: fall through to BLOCK
            case BLOCK:
                try {
                    if (!queue.offer(event, blockTimeoutMillis, TimeUnit.MILLISECONDS)) {
                        drop(DropReason.QUEUE_TIMEOUT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    drop(DropReason.QUEUE_TIMEOUT);
                }
                return;
            default:
                while (!queue.offer(event)) {
                    if (queue.poll() != null) {
                        drop(DropReason.QUEUE_FULL);
                    }
                }
        }
    }

    /** ERROR events and the security/audit categories: never rejected without waiting for room. */
    private static boolean isPriority(ILoggingEvent e) {
        if (e.getLevel() != null && e.getLevel().levelInt >= Level.ERROR_INT) {
            return true;
        }
        List<Marker> markers = e.getMarkerList();
        if (markers != null) {
            for (int i = 0, n = markers.size(); i < n; i++) {
                LogCategory c = LogCategory.fromMarker(markers.get(i));
                if (c == LogCategory.SECURITY || c == LogCategory.AUDIT) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Wakes the worker if it sleeps, or naps and this event asks for it. Lost wake-ups: the worker
     * publishes NAPPING/SLEEPING before it looks at the queue a last time, and a caller reads the
     * state after its offer, so either the worker sees the event or the caller sees the state (both
     * are volatile accesses, totally ordered); an unpark before the park makes the park return.
     */
    private void signalAfterOffer(ILoggingEvent event) {
        int s = workerState.get();
        if (s == RUNNING) {
            return;
        }
        if (s == SLEEPING) {
            wake(SLEEPING);
        } else if (isPriority(event) || queue.size() >= threshold) {
            wake(NAPPING);
        }
    }

    /** Wakes the worker if it is in {@code state} or deeper; only one caller wins the unpark. */
    private void wake(int state) {
        int s = workerState.get();
        while (s >= state && s != RUNNING) {
            if (workerState.compareAndSet(s, RUNNING)) {
                LockSupport.unpark(worker);
                return;
            }
            s = workerState.get();
        }
    }

    private void drainLoop() {
        List<ILoggingEvent> batch = new ArrayList<>(Math.min(maxBatchSize, queueSize));
        int naps = 0;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                // stop() interrupts only after the flush deadline: count what is left
                dropRemaining(batch.size());
                return;
            }
            if (queue.drainTo(batch, maxBatchSize) > 0) {
                writeBatch(batch);
                batch.clear();
                naps = 0;
                continue;
            }
            boolean open = accepting;
            if (!open && inFlight.get() == 0 && queue.isEmpty()) {
                // stop() closed the door and no caller is between its check and its offer: done
                return;
            }
            boolean sleep = open && naps >= napsBeforeSleep;
            workerState.set(sleep ? SLEEPING : NAPPING);
            if (queue.isEmpty()) {
                // during stop only a caller still in append() keeps us here: nap briefly
                LockSupport.parkNanos(this, sleep ? sleepNanos : open ? parkNanos : Math.min(parkNanos, 1_000_000));
            }
            workerState.set(RUNNING);
            naps++;
        }
    }

    private void dropRemaining(int unwritten) {
        int left = unwritten + queue.size();
        queue.clear();
        for (int i = 0; i < left; i++) {
            drop(DropReason.SHUTDOWN);
        }
    }

    /** Writes the batch child by child, so each child sees the events in order and flushes once. */
    private void writeBatch(List<ILoggingEvent> batch) {
        Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders();
        while (it.hasNext()) {
            Appender<ILoggingEvent> child = it.next();
            OutputStreamAppender<ILoggingEvent> stream = asStreamAppender(child);
            MartyJsonEncoder direct = stream == null ? null : directEncoder(stream);
            if (direct != null) {
                writeDirect(stream, direct, batch);
                continue;
            }
            for (int i = 0, n = batch.size(); i < n; i++) {
                try {
                    child.doAppend(batch.get(i));
                } catch (RuntimeException ex) {
                    addError("appender [" + child.getName() + "] failed while writing a queued event", ex);
                }
            }
            if (stream != null && flushPerBatch && !stream.isImmediateFlush() && stream.isStarted()) {
                flush(stream);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static OutputStreamAppender<ILoggingEvent> asStreamAppender(Appender<ILoggingEvent> a) {
        return a instanceof OutputStreamAppender ? (OutputStreamAppender<ILoggingEvent>) a : null;
    }

    /**
     * The encoder when the child is a stock stream appender (exact class: subclasses such as
     * RollingFileAppender do per-event work in subAppend) that is started, has no filters, is not
     * prudent and encodes with {@link MartyJsonEncoder}; else null and the child gets doAppend.
     */
    private MartyJsonEncoder directEncoder(OutputStreamAppender<ILoggingEvent> a) {
        Class<?> c = a.getClass();
        if (!flushPerBatch
                || (c != OutputStreamAppender.class && c != FileAppender.class && c != ConsoleAppender.class)
                || !a.isStarted()
                || !(a.getEncoder() instanceof MartyJsonEncoder)
                || !a.getCopyOfAttachedFiltersList().isEmpty()
                || (a instanceof FileAppender && ((FileAppender<?>) a).isPrudent())) {
            return null;
        }
        return (MartyJsonEncoder) a.getEncoder();
    }

    /**
     * Encodes each event straight into the child's buffered stream (one {@code write} call per
     * line, so lines never interleave with another writer of the same stream) and flushes once.
     */
    private void writeDirect(
            OutputStreamAppender<ILoggingEvent> a, MartyJsonEncoder encoder, List<ILoggingEvent> batch) {
        OutputStream out = a.getOutputStream();
        try {
            for (int i = 0, n = batch.size(); i < n; i++) {
                encoder.encode(batch.get(i), out);
            }
            out.flush();
        } catch (IOException e) {
            ioError(a, e);
        }
    }

    private void flush(OutputStreamAppender<ILoggingEvent> a) {
        try {
            OutputStream out = a.getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            ioError(a, e);
        }
    }

    private void ioError(Appender<ILoggingEvent> a, IOException e) {
        if (ioErrorsReported++ < 3) {
            addError("writing to [" + a.getName() + "] failed", e);
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        accepting = false;
        wake(NAPPING);
        try {
            worker.join(maxFlushTimeMillis);
            if (worker.isAlive()) {
                addWarn("flush of [" + name + "] exceeded " + maxFlushTimeMillis + " ms; " + queue.size()
                        + " queued events are dropped");
                worker.interrupt();
                worker.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.stop();
        appenders.detachAndStopAllAppenders();
    }

    private void drop(DropReason reason) {
        dropped.incrementAndGet(reason.ordinal());
        DropCounter.record(reason);
    }

    /** Events this appender dropped for {@code reason}. */
    public long getDropped(DropReason reason) {
        return dropped.get(reason.ordinal());
    }

    /** Events currently waiting in the queue. */
    public int getQueuedCount() {
        ArrayBlockingQueue<ILoggingEvent> q = queue;
        return q == null ? 0 : q.size();
    }

    /** Test hook: nap length, naps before the idle sleep and its length; call before start. */
    void setIdleTiming(long napNanos, int napsBeforeSleep, long sleepNanos) {
        this.napNanosForTest = napNanos;
        this.napsBeforeSleep = napsBeforeSleep;
        this.sleepNanos = sleepNanos;
    }

    /** Test hook: {@code running}, {@code napping} or {@code sleeping} (the next event wakes it). */
    String workerState() {
        int s = workerState.get();
        return s == RUNNING ? "running" : s == NAPPING ? "napping" : "sleeping";
    }

    // ---- properties -------------------------------------------------------------------------

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    /** {@code drop_oldest} (default), {@code drop_newest} or {@code block}. */
    public void setOverflowPolicy(String policy) {
        try {
            this.policy = OverflowPolicy.valueOf(
                    policy.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "overflowPolicy must be drop_oldest, drop_newest or block; got '" + policy + "'", e);
        }
    }

    /** How long {@code block} waits for room before dropping; default {@value #DEFAULT_BLOCK_TIMEOUT_MILLIS}. */
    public void setBlockTimeoutMillis(long blockTimeoutMillis) {
        this.blockTimeoutMillis = blockTimeoutMillis;
    }

    /** Bound on the final flush in {@link #stop()}; default {@value #DEFAULT_MAX_FLUSH_TIME_MILLIS}. */
    public void setMaxFlushTimeMillis(long maxFlushTimeMillis) {
        this.maxFlushTimeMillis = maxFlushTimeMillis;
    }

    /**
     * Longest nap of the idle worker, in ms (default {@value #DEFAULT_PARK_MILLIS}): an accepted event
     * below the wake threshold waits at most this long before it is written.
     */
    public void setParkMillis(long parkMillis) {
        if (parkMillis < 1 || parkMillis > 1000) {
            throw new IllegalArgumentException("parkMillis must be in 1..1000, got " + parkMillis);
        }
        this.parkMillis = parkMillis;
    }

    /** Queue length at which a caller wakes the napping worker; default half the queue size. */
    public void setWakeThreshold(int wakeThreshold) {
        if (wakeThreshold < 1) {
            throw new IllegalArgumentException("wakeThreshold must be >= 1, got " + wakeThreshold);
        }
        this.wakeThreshold = wakeThreshold;
    }

    /** Most events taken from the queue per batch; default {@value #DEFAULT_MAX_BATCH_SIZE}. */
    public void setMaxBatchSize(int maxBatchSize) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
    }

    /**
     * Flush stream children once per batch and encode straight into stock stream appenders (default
     * true); false: every event goes through each child's {@code doAppend} and flushes as it is
     * configured.
     */
    public void setFlushPerBatch(boolean flushPerBatch) {
        this.flushPerBatch = flushPerBatch;
    }

    /** Capture caller data (class, method, line) on the caller thread; costly, default off. */
    public void setIncludeCallerData(boolean includeCallerData) {
        this.includeCallerData = includeCallerData;
    }
}
