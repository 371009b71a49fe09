package io.marty.observability.core.config;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Metrics: on/off, the Prometheus {@code /metrics} server, the series cap of custom metrics and the
 * optional OTLP push of the same registry. Immutable; build with {@link #builder(ConfigSource)}.
 *
 * <pre>{@code
 * MetricsSettings metrics = MetricsSettings.builder(ConfigSource.environment())
 *         .prometheusPort(9464)
 *         .maxSeriesPerMetric(500)
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>setting</th><th>variables, first set wins</th><th>default</th></tr>
 *   <tr><td>metricsEnabled</td><td>{@code MMF_METRICS_ENABLED}</td><td>true</td></tr>
 *   <tr><td>jvmMetrics</td><td>{@code MMF_JVM_METRICS} (JVM and process metrics on {@code /metrics})</td><td>true</td></tr>
 *   <tr><td>prometheusPort</td><td>{@code MMF_PROMETHEUS_PORT} (0 = any free port, -1 = no server)</td><td>-1</td></tr>
 *   <tr><td>prometheusHost</td><td>{@code MMF_PROMETHEUS_HOST}</td><td>all interfaces</td></tr>
 *   <tr><td>maxSeriesPerMetric</td><td>{@code MMF_METRICS_MAX_SERIES}</td><td>2000</td></tr>
 *   <tr><td>otlpMetrics</td><td>{@code MMF_OTLP_METRICS}, {@code OTEL_METRICS_EXPORTER} listing {@code otlp}
 *       ({@code otlp|prometheus|none}); {@code OTEL_SDK_DISABLED=true} turns it off</td><td>false</td></tr>
 *   <tr><td>metricsExportInterval</td><td>{@code OTEL_METRIC_EXPORT_INTERVAL} (ms)</td><td>60 s</td></tr>
 * </table>
 */
public final class MetricsSettings {
    /** Prometheus port value meaning "do not start an HTTP server". */
    public static final int PROMETHEUS_DISABLED = -1;
    /** Default per-metric series cap of the custom metric factory. */
    public static final int DEFAULT_MAX_SERIES_PER_METRIC = 2000;

    private final boolean enabled;
    private final boolean jvmMetrics;
    private final int prometheusPort;
    private final String prometheusHost;
    private final int maxSeriesPerMetric;
    private final boolean otlpPush;
    private final Duration exportInterval;

    private MetricsSettings(
            boolean enabled,
            boolean jvmMetrics,
            int prometheusPort,
            String prometheusHost,
            int maxSeriesPerMetric,
            boolean otlpPush,
            Duration exportInterval) {
        this.enabled = enabled;
        this.jvmMetrics = jvmMetrics;
        this.prometheusPort = prometheusPort;
        this.prometheusHost = prometheusHost;
        this.maxSeriesPerMetric = maxSeriesPerMetric;
        this.otlpPush = otlpPush;
        this.exportInterval = exportInterval;
    }

    /** A builder reading nothing but its own values and the defaults. */
    public static Builder builder() {
        return new Builder(ConfigSource.empty());
    }

    /** A builder whose unset values are read from {@code source}. */
    public static Builder builder(ConfigSource source) {
        return new Builder(source);
    }

    /** Whether RED and custom metrics are recorded. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether JVM and process metrics (memory, GC, threads, classes, CPU, file descriptors) are exposed. */
    public boolean jvmMetrics() {
        return jvmMetrics;
    }

    /** Port of the Prometheus HTTP server; 0 picks a free port, {@value #PROMETHEUS_DISABLED} starts none. */
    public int prometheusPort() {
        return prometheusPort;
    }

    /** Bind address of the Prometheus HTTP server, or {@code null} for all interfaces. */
    public @Nullable String prometheusHost() {
        return prometheusHost;
    }

    /** Series cap per custom metric. */
    public int maxSeriesPerMetric() {
        return maxSeriesPerMetric;
    }

    /** Whether the registry is also pushed over OTLP (see {@link OtlpSettings#metrics()}). */
    public boolean otlpPush() {
        return otlpPush;
    }

    /** Interval of the OTLP metrics push. */
    public Duration exportInterval() {
        return exportInterval;
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return builder()
                .metricsEnabled(enabled)
                .jvmMetrics(jvmMetrics)
                .prometheusPort(prometheusPort)
                .prometheusHost(prometheusHost)
                .maxSeriesPerMetric(maxSeriesPerMetric)
                .otlpMetrics(otlpPush)
                .metricsExportInterval(exportInterval);
    }

    @Override
    public String toString() {
        return "MetricsSettings{enabled=" + enabled + ", prometheusPort=" + prometheusPort + ", otlpPush=" + otlpPush
                + "}";
    }

    /** Builder of {@link MetricsSettings}; {@link #build()} validates. */
    public static final class Builder {
        private final Values values;

        private Builder(ConfigSource source) {
            this.values = new Values(source);
        }

        /** Turns metrics on or off (default on). */
        public Builder metricsEnabled(boolean enabled) {
            values.set("metricsEnabled", enabled);
            return this;
        }

        /** Turns the JVM and process metrics on or off (default on; off too when metrics are off). */
        public Builder jvmMetrics(boolean enabled) {
            values.set("jvmMetrics", enabled);
            return this;
        }

        /** Prometheus HTTP server port (0 = any free port, {@value #PROMETHEUS_DISABLED} = none, the default). */
        public Builder prometheusPort(int port) {
            values.set("prometheusPort", port);
            return this;
        }

        /** Bind address of the Prometheus HTTP server (default: all interfaces). */
        public Builder prometheusHost(@Nullable String host) {
            values.set("prometheusHost", host);
            return this;
        }

        /** Series cap per custom metric (default {@value #DEFAULT_MAX_SERIES_PER_METRIC}). */
        public Builder maxSeriesPerMetric(int max) {
            values.set("maxSeriesPerMetric", max);
            return this;
        }

        /** Also push the metrics over OTLP (default off). */
        public Builder otlpMetrics(boolean enabled) {
            values.set("otlpMetrics", enabled);
            return this;
        }

        /** Interval of the OTLP metrics push (default 60 s). */
        public Builder metricsExportInterval(Duration interval) {
            values.set("metricsExportInterval", interval);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws io.marty.observability.core.ObservabilityConfigException naming the key and value
         */
        public MetricsSettings build() {
            boolean enabled = values.get("metricsEnabled", Values.BOOLEAN, true, "MMF_METRICS_ENABLED").value;
            boolean jvm = values.get("jvmMetrics", Values.BOOLEAN, true, "MMF_JVM_METRICS").value;
            Setting<Integer> port =
                    values.get("prometheusPort", Values.INTEGER, PROMETHEUS_DISABLED, "MMF_PROMETHEUS_PORT");
            if (port.value == null || port.value < PROMETHEUS_DISABLED || port.value > 65535) {
                throw port.invalid("must be 0..65535 (0 = any free port) or -1 (no server)");
            }
            String host = values.string("prometheusHost", null, "MMF_PROMETHEUS_HOST").value;
            Setting<Integer> maxSeries = values.get(
                    "maxSeriesPerMetric", Values.INTEGER, DEFAULT_MAX_SERIES_PER_METRIC, "MMF_METRICS_MAX_SERIES");
            Values.checkAtLeast(maxSeries, 1);
            boolean otlp = values.get("otlpMetrics", Values.BOOLEAN, otlpListed(), "MMF_OTLP_METRICS").value;
            if (!values.isSet("otlpMetrics") && TracingSettings.sdkDisabled(values)) {
                otlp = false;
            }
            Setting<Duration> interval = values.get(
                    "metricsExportInterval", Values.MILLIS, Duration.ofSeconds(60), "OTEL_METRIC_EXPORT_INTERVAL");
            Values.checkPositive(interval);
            return new MetricsSettings(enabled, jvm, port.value, host, maxSeries.value, otlp, interval.value);
        }

        private boolean otlpListed() {
            Setting<String> raw = values.raw("OTEL_METRICS_EXPORTER");
            boolean otlp = false;
            if (raw != null) {
                for (String e : raw.value.split(",")) {
                    String name = e.trim().toLowerCase(Locale.ROOT);
                    if (name.equals("otlp")) {
                        otlp = true;
                    } else if (!name.equals("none") && !name.equals("prometheus")) {
                        throw raw.invalid("unknown metrics exporter; must be otlp, prometheus or none");
                    }
                }
            }
            return otlp;
        }
    }
}
