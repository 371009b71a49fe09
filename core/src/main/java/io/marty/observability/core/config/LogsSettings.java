package io.marty.observability.core.config;

import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.LogLimitsBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * The OTel logs bridge (used by the logging module): log record exporter, its batch processor and
 * the log record limits. Immutable; build with {@link #builder(ConfigSource)}.
 *
 * <pre>{@code
 * LogsSettings logs = LogsSettings.builder(ConfigSource.environment())
 *         .logExportQueueSize(8192)
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>setting</th><th>variables, first set wins</th><th>default</th></tr>
 *   <tr><td>logsExporter</td><td>{@code MMF_LOGS_EXPORTER}, {@code OTEL_LOGS_EXPORTER}
 *       ({@code otlp|logging|console|none}); {@code OTEL_SDK_DISABLED=true} means none</td><td>otlp</td></tr>
 *   <tr><td>logExport*</td><td>{@code OTEL_BLRP_MAX_QUEUE_SIZE}, {@code OTEL_BLRP_MAX_EXPORT_BATCH_SIZE},
 *       {@code OTEL_BLRP_SCHEDULE_DELAY}, {@code OTEL_BLRP_EXPORT_TIMEOUT} (ms)</td><td>2048, 512, 1 s, 30 s</td></tr>
 *   <tr><td>logLimits</td><td>{@code OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT} ({@code OTEL_ATTRIBUTE_COUNT_LIMIT}),
 *       {@code OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT} ({@code OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT})</td>
 *       <td>the SDK's: 128, unlimited length</td></tr>
 * </table>
 */
public final class LogsSettings {
    private final String exporter;
    private final BatchSettings batch;
    private final LogLimits logLimits;

    private LogsSettings(String exporter, BatchSettings batch, LogLimits logLimits) {
        this.exporter = exporter;
        this.batch = batch;
        this.logLimits = logLimits;
    }

    /** A builder reading nothing but its own values and the defaults. */
    public static Builder builder() {
        return new Builder(ConfigSource.empty());
    }

    /** A builder whose unset values are read from {@code source}. */
    public static Builder builder(ConfigSource source) {
        return new Builder(source);
    }

    /** Log record exporter name: {@code otlp}, {@code logging} or {@code none}. */
    public String exporter() {
        return exporter;
    }

    /** The log record batch processor. */
    public BatchSettings batch() {
        return batch;
    }

    /** Limits on attributes per log record. */
    public LogLimits logLimits() {
        return logLimits;
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = builder().logsExporter(exporter).logLimits(logLimits);
        batch.copyTo(b.values, "logExport");
        return b;
    }

    @Override
    public String toString() {
        return "LogsSettings{exporter=" + exporter + ", batch=" + batch + "}";
    }

    /** Builder of {@link LogsSettings}; {@link #build()} validates. */
    public static final class Builder {
        private final Values values;

        private Builder(ConfigSource source) {
            this.values = new Values(source);
        }

        /** Log record exporter name: {@code otlp} (default), {@code logging} ({@code console}), {@code none}. */
        public Builder logsExporter(String exporter) {
            values.set("logsExporter", exporter);
            return this;
        }

        /** Bounded queue of the log record batch processor (default 2048). */
        public Builder logExportQueueSize(int size) {
            values.set("logExportQueueSize", size);
            return this;
        }

        /** Maximum log records per export request (default 512). */
        public Builder logExportBatchSize(int size) {
            values.set("logExportBatchSize", size);
            return this;
        }

        /** Delay between two log record exports when the batch is not full (default 1 s). */
        public Builder logExportScheduleDelay(Duration delay) {
            values.set("logExportScheduleDelay", delay);
            return this;
        }

        /** How long one log record export may take before it counts as failed (default 30 s). */
        public Builder logExportTimeout(Duration timeout) {
            values.set("logExportTimeout", timeout);
            return this;
        }

        /** Log record limits, replacing those of the {@code OTEL_*_LIMIT} variables. */
        public Builder logLimits(LogLimits limits) {
            values.set("logLimits", Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws io.marty.observability.core.ObservabilityConfigException naming the key and value
         */
        public LogsSettings build() {
            String exporter =
                    TracingSettings.exporter(values, "logsExporter", "MMF_LOGS_EXPORTER", "OTEL_LOGS_EXPORTER");
            if (!values.isSet("logsExporter") && TracingSettings.sdkDisabled(values)) {
                exporter = "none";
            }
            BatchSettings batch = BatchSettings.resolve(
                    values,
                    "logExport",
                    "OTEL_BLRP_",
                    Duration.ofSeconds(1),
                    BatchSettings.DEFAULT_QUEUE_SIZE,
                    BatchSettings.DEFAULT_BATCH_SIZE);
            LogLimits limits;
            if (values.isSet("logLimits")) {
                limits = (LogLimits) values.get("logLimits", null, null).value;
            } else {
                LogLimitsBuilder b = LogLimits.getDefault().toBuilder();
                TracingSettings.limit(
                        values,
                        b::setMaxNumberOfAttributes,
                        "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT",
                        "OTEL_ATTRIBUTE_COUNT_LIMIT");
                TracingSettings.limit(
                        values,
                        b::setMaxAttributeValueLength,
                        "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT",
                        "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT");
                limits = b.build();
            }
            return new LogsSettings(exporter, batch, limits);
        }
    }
}
