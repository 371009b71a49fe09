package io.marty.observability.logging;

/** Why a log event was dropped; the {@code reason} label of {@code mmf_log_events_dropped_total}. */
public enum DropReason {
    /** Removed by a per-category sample rate ({@link LogSamplingFilter}). */
    SAMPLED("sampled"),
    /** Over the per-logger/per-template token bucket ({@link LogSamplingFilter}). */
    RATE_LIMITED("rate_limited"),
    /** The {@link BoundedAsyncAppender} queue was full (drop-oldest or drop-newest policy). */
    QUEUE_FULL("queue_full"),
    /** The {@link BoundedAsyncAppender} blocked for its whole timeout without finding room. */
    QUEUE_TIMEOUT("queue_timeout"),
    /** Arrived after the appender stopped, or still queued when the flush deadline passed. */
    SHUTDOWN("shutdown");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** The label value, e.g. {@code rate_limited}. */
    public String label() {
        return label;
    }
}
