package io.marty.observability.console.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the bytes of OTLP requests being read, decoded and converted at once: a request enters
 * with its body size (the limit when the size is unknown or compressed) and waits a bounded time for
 * room. Many small exports run side by side; a few maximal ones take turns, so decoding never holds
 * more than the budget (times the protobuf expansion) on the heap.
 */
final class IngestGate {
    private static final int UNIT_BYTES = 64 * 1024;

    private final Semaphore units;
    private final int maxUnits;
    private final long waitMillis;

    IngestGate(long budgetBytes, long waitMillis) {
        this.maxUnits = (int) Math.max(1, budgetBytes / UNIT_BYTES);
        this.units = new Semaphore(maxUnits, true);
        this.waitMillis = waitMillis;
    }

    private int units(int bytes) {
        return Math.min(maxUnits, Math.max(1, (int) ((bytes + (long) UNIT_BYTES - 1) / UNIT_BYTES)));
    }

    /** True when the request may proceed; it must then call {@link #leave} with the same size. */
    boolean enter(int bytes) {
        try {
            return units.tryAcquire(units(bytes), waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void leave(int bytes) {
        units.release(units(bytes));
    }
}
