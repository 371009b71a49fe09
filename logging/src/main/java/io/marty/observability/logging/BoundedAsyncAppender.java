package io.marty.observability.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.marty.observability.logging.internal.DropCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
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

    private ArrayBlockingQueue<ILoggingEvent> queue;
    private volatile boolean accepting;
    private Thread worker;

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
            event.prepareForDeferredProcessing();
            if (includeCallerData) {
                event.getCallerData();
            }
            enqueue(event);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void enqueue(ILoggingEvent event) {
        if (queue.offer(event)) {
            return;
        }
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

    private void drainLoop() {
        List<ILoggingEvent> batch = new ArrayList<>(256);
        while (true) {
            try {
                ILoggingEvent first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 255);
                    for (int i = 0; i < batch.size(); i++) {
                        write(batch.get(i));
                    }
                    batch.clear();
                } else if (!accepting && inFlight.get() == 0 && queue.isEmpty()) {
                    // stop() closed the door, no caller is between the check and the offer: done
                    return;
                }
            } catch (InterruptedException e) {
                // stop() interrupts only after the flush deadline: count what is left
                int left = queue.size();
                queue.clear();
                for (int i = 0; i < left; i++) {
                    drop(DropReason.SHUTDOWN);
                }
                return;
            }
        }
    }

    private void write(ILoggingEvent e) {
        try {
            appenders.appendLoopOnAppenders(e);
        } catch (RuntimeException ex) {
            addError("appender failed while writing a queued event", ex);
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        accepting = false;
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

    /** Capture caller data (class, method, line) on the caller thread; costly, default off. */
    public void setIncludeCallerData(boolean includeCallerData) {
        this.includeCallerData = includeCallerData;
    }
}
