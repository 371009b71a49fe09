package io.marty.observability.core.config;

import java.time.Duration;

/**
 * Settings of one SDK batch processor (spans: {@code OTEL_BSP_*}, log records: {@code
 * OTEL_BLRP_*}): a bounded queue whose overflow is dropped and counted, never blocking the caller.
 * Part of {@link TracingSettings} and {@link LogsSettings}, set through their builders.
 *
 * <pre>{@code
 * TracingSettings tracing = TracingSettings.builder()
 *         .spanExportQueueSize(8192)          // or OTEL_BSP_MAX_QUEUE_SIZE=8192
 *         .spanExportBatchSize(1024)
 *         .build();
 * BatchSettings spans = tracing.batch();      // 8192, 1024, 5 s, 30 s
 * }</pre>
 */
public final class BatchSettings {
    /** Default bounded queue size of the log record processor (as the SDK's). */
    public static final int DEFAULT_QUEUE_SIZE = 2048;
    /** Default export batch size of the log record processor (as the SDK's). */
    public static final int DEFAULT_BATCH_SIZE = 512;
    /** Default bounded queue size of the span processor: four default batches. */
    public static final int DEFAULT_SPAN_QUEUE_SIZE = 8192;
    /**
     * Default span export batch: four times the SDK's. Each export request costs the sender and the
     * collector a fixed amount, so 2048 spans per request took about 40 % less CPU per span than 512
     * (benchmarks/RESULTS.md, issue 16). When only the queue size is set, the batch defaults to a
     * quarter of it, at most this.
     */
    public static final int DEFAULT_SPAN_BATCH_SIZE = 2048;
    /** Default export timeout (as the SDK's). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final int queueSize;
    private final int batchSize;
    private final Duration scheduleDelay;
    private final Duration exportTimeout;

    private BatchSettings(int queueSize, int batchSize, Duration scheduleDelay, Duration exportTimeout) {
        this.queueSize = queueSize;
        this.batchSize = batchSize;
        this.scheduleDelay = scheduleDelay;
        this.exportTimeout = exportTimeout;
    }

    /** Bounded queue size; items beyond it are dropped and counted. */
    public int queueSize() {
        return queueSize;
    }

    /** Maximum items per export request (at most {@link #queueSize()}). */
    public int batchSize() {
        return batchSize;
    }

    /** Delay between two exports when the batch is not full. */
    public Duration scheduleDelay() {
        return scheduleDelay;
    }

    /** How long one export may take before it counts as failed. */
    public Duration exportTimeout() {
        return exportTimeout;
    }

    @Override
    public String toString() {
        return "BatchSettings{queue=" + queueSize + ", batch=" + batchSize + ", delay=" + scheduleDelay + ", timeout="
                + exportTimeout + "}";
    }

    /** Copies these values into a builder under the property names {@code <prefix>QueueSize}, ... */
    void copyTo(Values values, String prefix) {
        values.set(prefix + "QueueSize", queueSize);
        values.set(prefix + "BatchSize", batchSize);
        values.set(prefix + "ScheduleDelay", scheduleDelay);
        values.set(prefix + "Timeout", exportTimeout);
    }

    /**
     * Resolves and validates: builder properties {@code <prefix>QueueSize|BatchSize|ScheduleDelay|Timeout},
     * variables {@code <envPrefix>MAX_QUEUE_SIZE|MAX_EXPORT_BATCH_SIZE|SCHEDULE_DELAY|EXPORT_TIMEOUT} (ms).
     */
    static BatchSettings resolve(
            Values values,
            String prefix,
            String envPrefix,
            Duration defaultDelay,
            int defaultQueueSize,
            int defaultBatchSize) {
        Setting<Integer> queue =
                values.get(prefix + "QueueSize", Values.INTEGER, defaultQueueSize, envPrefix + "MAX_QUEUE_SIZE");
        Values.checkAtLeast(queue, 1);
        // a queue set alone gets a quarter of it as batch (the defaults keep that ratio)
        int batchDefault = Math.min(defaultBatchSize, Math.max(1, queue.value / 4));
        Setting<Integer> batch =
                values.get(prefix + "BatchSize", Values.INTEGER, batchDefault, envPrefix + "MAX_EXPORT_BATCH_SIZE");
        Setting<Duration> delay =
                values.get(prefix + "ScheduleDelay", Values.MILLIS, defaultDelay, envPrefix + "SCHEDULE_DELAY");
        Setting<Duration> timeout =
                values.get(prefix + "Timeout", Values.MILLIS, DEFAULT_TIMEOUT, envPrefix + "EXPORT_TIMEOUT");
        if (batch.value == null || batch.value < 1 || batch.value > queue.value) {
            throw batch.invalid("must be between 1 and the queue size (" + queue.value + ")");
        }
        if (delay.value == null || delay.value.isNegative()) {
            throw delay.invalid("must be zero or a positive duration");
        }
        Values.checkPositive(timeout);
        return new BatchSettings(queue.value, batch.value, delay.value, timeout.value);
    }
}
