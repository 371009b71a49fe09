package io.marty.observability.core;

import io.marty.observability.core.config.BatchSettings;
import io.marty.observability.core.config.ConfigSource;
import io.marty.observability.core.config.LifecycleSettings;
import io.marty.observability.core.config.LogsSettings;
import io.marty.observability.core.config.MetricsSettings;
import io.marty.observability.core.config.OtlpSettings;
import io.marty.observability.core.config.ServiceSettings;
import io.marty.observability.core.config.TracingSettings;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of {@link MartyObservability}: the settings of each area ({@link
 * ServiceSettings}, {@link TracingSettings}, {@link OtlpSettings}, {@link MetricsSettings}, {@link
 * LogsSettings}, {@link LifecycleSettings} in {@code io.marty.observability.core.config}) plus test
 * hooks. Every setting resolves the same way: the value set in code, else the environment ({@code
 * MMF_*} and the standard {@code OTEL_*} variables, or their {@code -Dmmf.*}/{@code -Dotel.*} system
 * properties), else the default. Invalid values fail at {@link Builder#build()} with an {@link
 * ObservabilityConfigException} naming the key and the value.
 *
 * <pre>{@code
 * ObservabilityConfig config = ObservabilityConfig.builderFromEnvironment()
 *         .serviceName("orders")
 *         .serviceVersion("1.4.2")
 *         .environment("staging")          // sampling defaults to 0.3, parent-based
 *         .otlpEndpoint("http://collector:4318")
 *         .otlp(o -> o.compression("gzip").endpoint(Signal.LOGS, "http://logs:4318/v1/logs"))
 *         .prometheusPort(9464)
 *         .build();
 * }</pre>
 *
 * <p>The variables each area reads are listed in its class documentation and in {@code docs/core.md}.
 */
public final class ObservabilityConfig {

    /** Exporter name: OTLP (protocol chosen by {@link Builder#otlpProtocol(String)}). */
    public static final String EXPORTER_OTLP = "otlp";
    /** Exporter name: write spans/logs through {@code java.util.logging} (debugging). */
    public static final String EXPORTER_LOGGING = "logging";
    /** Exporter name: export nothing. */
    public static final String EXPORTER_NONE = "none";
    /** OTLP protocol: protobuf over HTTP (default, port 4318). */
    public static final String PROTOCOL_HTTP_PROTOBUF = OtlpSettings.PROTOCOL_HTTP_PROTOBUF;
    /** OTLP protocol: gRPC (port 4317). */
    public static final String PROTOCOL_GRPC = OtlpSettings.PROTOCOL_GRPC;
    /** Default OTLP endpoint for {@code http/protobuf}. */
    public static final String DEFAULT_OTLP_HTTP_ENDPOINT = OtlpSettings.DEFAULT_HTTP_ENDPOINT;
    /** Default OTLP endpoint for {@code grpc}. */
    public static final String DEFAULT_OTLP_GRPC_ENDPOINT = OtlpSettings.DEFAULT_GRPC_ENDPOINT;
    /** Default environment name. */
    public static final String DEFAULT_ENVIRONMENT = ServiceSettings.DEFAULT_ENVIRONMENT;
    /** Default per-metric series cap of the custom metric factory. */
    public static final int DEFAULT_MAX_SERIES_PER_METRIC = MetricsSettings.DEFAULT_MAX_SERIES_PER_METRIC;
    /** Default bounded queue size of the log record batch processor (as the SDK's). */
    public static final int DEFAULT_EXPORT_QUEUE_SIZE = BatchSettings.DEFAULT_QUEUE_SIZE;
    /** Default export batch size of the log record batch processor (as the SDK's). */
    public static final int DEFAULT_EXPORT_BATCH_SIZE = BatchSettings.DEFAULT_BATCH_SIZE;
    /** Default bounded queue size of the span batch processor. */
    public static final int DEFAULT_SPAN_EXPORT_QUEUE_SIZE = BatchSettings.DEFAULT_SPAN_QUEUE_SIZE;
    /** Default export batch size of the span batch processor (see {@link BatchSettings#DEFAULT_SPAN_BATCH_SIZE}). */
    public static final int DEFAULT_SPAN_EXPORT_BATCH_SIZE = BatchSettings.DEFAULT_SPAN_BATCH_SIZE;
    /** Prometheus port value meaning "do not start an HTTP server". */
    public static final int PROMETHEUS_DISABLED = MetricsSettings.PROMETHEUS_DISABLED;

    private final ServiceSettings service;
    private final TracingSettings tracing;
    private final LogsSettings logs;
    private final MetricsSettings metrics;
    private final OtlpSettings otlp;
    private final LifecycleSettings lifecycle;
    private final SpanExporter spanExporter;
    private final LogRecordExporter logRecordExporter;
    private final PrometheusRegistry prometheusRegistry;

    private ObservabilityConfig(
            ServiceSettings service,
            TracingSettings tracing,
            LogsSettings logs,
            MetricsSettings metrics,
            OtlpSettings otlp,
            LifecycleSettings lifecycle,
            Builder b) {
        this.service = service;
        this.tracing = tracing;
        this.logs = logs;
        this.metrics = metrics;
        this.otlp = otlp;
        this.lifecycle = lifecycle;
        this.spanExporter = b.spanExporter;
        this.logRecordExporter = b.logRecordExporter;
        this.prometheusRegistry = b.prometheusRegistry;
    }

    /** A builder with nothing taken from the environment (only builder values and defaults). */
    public static Builder builder() {
        return new Builder(ConfigSource.empty());
    }

    /** A builder whose unset values are read from {@code source}. */
    public static Builder builder(ConfigSource source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    /**
     * A builder reading unset values from {@link System#getenv()} and the equivalent system
     * properties ({@link ConfigSource#environment()}); values set on it win.
     */
    public static Builder builderFromEnvironment() {
        return builder(ConfigSource.environment());
    }

    /**
     * A builder reading unset values from the given variables (testable form of {@link
     * #builderFromEnvironment()}); values set on it win. Bad variables fail at {@link Builder#build()}.
     */
    public static Builder builderFromEnvironment(Map<String, String> env) {
        return builder(ConfigSource.of(Objects.requireNonNull(env, "env")));
    }

    /** Configuration read from the environment alone. */
    public static ObservabilityConfig fromEnvironment() {
        return builderFromEnvironment().build();
    }

    /** Configuration read from the given variables alone. */
    public static ObservabilityConfig fromEnvironment(Map<String, String> env) {
        return builderFromEnvironment(env).build();
    }

    /**
     * The default trace sample rate of an environment: development 1.0, staging 0.3, production
     * 0.05, anything else (testing included) 0.1; see {@link TracingSettings#defaultSampleRate(String)}.
     */
    public static double defaultSampleRate(@Nullable String environment) {
        return TracingSettings.defaultSampleRate(environment);
    }

    // ---- areas ---------------------------------------------------------------------------------

    /** Service name, version, environment, instance id and resource attributes. */
    public ServiceSettings service() {
        return service;
    }

    /** Tracing: exporter, sampling, propagation, span batch processor and limits. */
    public TracingSettings tracing() {
        return tracing;
    }

    /** The OTel logs bridge: exporter, batch processor and limits. */
    public LogsSettings logs() {
        return logs;
    }

    /** Metrics: Prometheus server, series cap, OTLP push. */
    public MetricsSettings metrics() {
        return metrics;
    }

    /** OTLP export, resolved per signal. */
    public OtlpSettings otlp() {
        return otlp;
    }

    /** Global registration, shutdown and health-check timeouts. */
    public LifecycleSettings lifecycle() {
        return lifecycle;
    }

    // ---- single values (shortcuts into the areas) ----------------------------------------------

    /** Service name ({@code service.name} resource attribute and {@code service} metric label). */
    public String serviceName() {
        return service.serviceName();
    }

    /** Service version ({@code service.version}). */
    public String serviceVersion() {
        return service.serviceVersion();
    }

    /** Deployment environment, lower case ({@code deployment.environment.name}). */
    public String environment() {
        return service.environment();
    }

    /** {@code service.instance.id}: given, or a random UUID per config. */
    public String serviceInstanceId() {
        return service.serviceInstanceId();
    }

    /** Extra resource attributes (from {@code OTEL_RESOURCE_ATTRIBUTES} and the builder). */
    public Map<String, String> resourceAttributes() {
        return service.resourceAttributes();
    }

    /** Whether spans are recorded at all. */
    public boolean tracingEnabled() {
        return tracing.enabled();
    }

    /** Span exporter name: {@code otlp}, {@code logging} or {@code none}. */
    public String tracesExporter() {
        return tracing.exporter();
    }

    /** Log record exporter name for the OTel logs bridge: {@code otlp}, {@code logging} or {@code none}. */
    public String logsExporter() {
        return logs.exporter();
    }

    /** Generic OTLP base endpoint without trailing slash; per-signal endpoints are in {@link #otlp()}. */
    public String otlpEndpoint() {
        return otlp.endpoint();
    }

    /** Generic OTLP protocol: {@code http/protobuf} or {@code grpc}. */
    public String otlpProtocol() {
        return otlp.protocol();
    }

    /** Generic headers sent with every OTLP export (unless a signal has its own). */
    public Map<String, String> otlpHeaders() {
        return otlp.headers();
    }

    /** Generic timeout of one OTLP export call. */
    public Duration otlpTimeout() {
        return otlp.timeout();
    }

    /** Trace sample rate in [0, 1] (explicit, or the environment's default). */
    public double sampleRate() {
        return tracing.sampleRate();
    }

    /** Whether sampling follows the parent's decision (default true). */
    public boolean parentBasedSampling() {
        return tracing.parentBased();
    }

    /** Whether RED and custom metrics are recorded. */
    public boolean metricsEnabled() {
        return metrics.enabled();
    }

    /** Whether JVM and process metrics are exposed with the RED metrics (default true; {@code MMF_JVM_METRICS}). */
    public boolean jvmMetrics() {
        return metrics.jvmMetrics();
    }

    /**
     * Port of the Prometheus {@code /metrics} HTTP server; {@code 0} picks a free port (see {@link
     * MartyObservability#prometheusPort()}), {@value #PROMETHEUS_DISABLED} starts no server.
     */
    public int prometheusPort() {
        return metrics.prometheusPort();
    }

    /** Bind address of the Prometheus HTTP server, or {@code null} for all interfaces. */
    public @Nullable String prometheusHost() {
        return metrics.prometheusHost();
    }

    /** Series cap per custom metric; further label combinations go to one {@code other} series. */
    public int maxSeriesPerMetric() {
        return metrics.maxSeriesPerMetric();
    }

    /**
     * Whether the Prometheus registry is also pushed over OTLP (to {@code otlp().metrics()}, every
     * {@link #metricsExportInterval()}); off by default ({@code /metrics} is the primary path).
     */
    public boolean otlpMetrics() {
        return metrics.otlpPush();
    }

    /** Interval of the OTLP metrics push (default 60 s). */
    public Duration metricsExportInterval() {
        return metrics.exportInterval();
    }

    /** Whether B3 headers are injected and extracted in addition to W3C. */
    public boolean b3Propagation() {
        return tracing.b3Propagation();
    }

    /** When B3 is on: inject the multi-header form ({@code X-B3-*}) instead of single {@code b3}. */
    public boolean b3MultiHeader() {
        return tracing.b3MultiHeader();
    }

    /** Debug mode: also log every exported span through {@code java.util.logging}. */
    public boolean debug() {
        return tracing.debug();
    }

    /** Whether {@code start} also sets {@code GlobalOpenTelemetry} (once per JVM; default false). */
    public boolean registerGlobal() {
        return lifecycle.registerGlobal();
    }

    /** Upper bound of {@link MartyObservability#close()} (flush + shutdown). */
    public Duration shutdownTimeout() {
        return lifecycle.shutdownTimeout();
    }

    /** Default timeout of one health check. */
    public Duration healthCheckTimeout() {
        return lifecycle.healthCheckTimeout();
    }

    /** Bounded queue of the span batch processor; spans beyond it are dropped and counted (default 2048). */
    public int spanExportQueueSize() {
        return tracing.batch().queueSize();
    }

    /** Maximum spans per OTLP export request (default 512). */
    public int spanExportBatchSize() {
        return tracing.batch().batchSize();
    }

    /** Delay between two span exports when the batch is not full (default 5 s). */
    public Duration spanExportScheduleDelay() {
        return tracing.batch().scheduleDelay();
    }

    /** How long the span batch processor waits for one export before counting it failed (default 30 s). */
    public Duration spanExportTimeout() {
        return tracing.batch().exportTimeout();
    }

    /** Bounded queue of the log record batch processor (OTel logs bridge; default 2048). */
    public int logExportQueueSize() {
        return logs.batch().queueSize();
    }

    /** Maximum log records per OTLP export request (default 512). */
    public int logExportBatchSize() {
        return logs.batch().batchSize();
    }

    /** Delay between two log record exports when the batch is not full (default 1 s). */
    public Duration logExportScheduleDelay() {
        return logs.batch().scheduleDelay();
    }

    /** How long the log record batch processor waits for one export (default 30 s). */
    public Duration logExportTimeout() {
        return logs.batch().exportTimeout();
    }

    /** Test hook: span exporter used instead of the named one (exported synchronously), or null. */
    public @Nullable SpanExporter spanExporter() {
        return spanExporter;
    }

    /** Test hook: log record exporter used instead of the named one, or null. */
    public @Nullable LogRecordExporter logRecordExporter() {
        return logRecordExporter;
    }

    /** Registry metrics are registered in: the configured one, or null for the default registry. */
    public @Nullable PrometheusRegistry prometheusRegistry() {
        return prometheusRegistry;
    }

    /** A builder holding this configuration's values (reading nothing from the environment). */
    public Builder toBuilder() {
        Builder b = new Builder(
                service.toBuilder(),
                tracing.toBuilder(),
                logs.toBuilder(),
                metrics.toBuilder(),
                otlp.toBuilder(),
                lifecycle.toBuilder());
        b.spanExporter = spanExporter;
        b.logRecordExporter = logRecordExporter;
        b.prometheusRegistry = prometheusRegistry;
        return b;
    }

    @Override
    public String toString() {
        return "ObservabilityConfig{service=" + serviceName() + ", version=" + serviceVersion() + ", environment="
                + environment() + ", tracing=" + tracingEnabled() + ", tracesExporter=" + tracesExporter()
                + ", logsExporter=" + logsExporter() + ", otlp=" + otlp.traces().endpoint() + " ("
                + otlp.traces().protocol() + ")" + ", sampleRate=" + sampleRate()
                + (parentBasedSampling() ? " parent-based" : "") + ", metrics=" + metricsEnabled()
                + (otlpMetrics() ? " +otlp" : "") + ", prometheusPort=" + prometheusPort() + ", b3=" + b3Propagation()
                + "}";
    }

    /**
     * Builder of {@link ObservabilityConfig}: one setter per common setting (each delegating to its
     * area's builder) and {@code service(..)}, {@code tracing(..)}, {@code otlp(..)}, {@code
     * metrics(..)}, {@code logs(..)}, {@code lifecycle(..)} for everything an area offers. Errors name
     * the builder property for values set here and the variable for values read from the environment.
     */
    public static final class Builder {
        private final ServiceSettings.Builder service;
        private final TracingSettings.Builder tracing;
        private final LogsSettings.Builder logs;
        private final MetricsSettings.Builder metrics;
        private final OtlpSettings.Builder otlp;
        private final LifecycleSettings.Builder lifecycle;
        private SpanExporter spanExporter;
        private LogRecordExporter logRecordExporter;
        private PrometheusRegistry prometheusRegistry;

        private Builder(ConfigSource source) {
            this(
                    ServiceSettings.builder(source),
                    TracingSettings.builder(source),
                    LogsSettings.builder(source),
                    MetricsSettings.builder(source),
                    OtlpSettings.builder(source),
                    LifecycleSettings.builder(source));
        }

        private Builder(
                ServiceSettings.Builder service,
                TracingSettings.Builder tracing,
                LogsSettings.Builder logs,
                MetricsSettings.Builder metrics,
                OtlpSettings.Builder otlp,
                LifecycleSettings.Builder lifecycle) {
            this.service = service;
            this.tracing = tracing;
            this.logs = logs;
            this.metrics = metrics;
            this.otlp = otlp;
            this.lifecycle = lifecycle;
        }

        /** Configures the service area (name, version, environment, resource attributes). */
        public Builder service(Consumer<ServiceSettings.Builder> configure) {
            configure.accept(service);
            return this;
        }

        /** Configures the tracing area (exporter, sampling, propagation, batch processor, span limits). */
        public Builder tracing(Consumer<TracingSettings.Builder> configure) {
            configure.accept(tracing);
            return this;
        }

        /** Configures OTLP export, generic and per signal (endpoint, headers, compression, TLS...). */
        public Builder otlp(Consumer<OtlpSettings.Builder> configure) {
            configure.accept(otlp);
            return this;
        }

        /** Configures the metrics area (Prometheus server, series cap, OTLP push). */
        public Builder metrics(Consumer<MetricsSettings.Builder> configure) {
            configure.accept(metrics);
            return this;
        }

        /** Configures the logs bridge area (exporter, batch processor, log limits). */
        public Builder logs(Consumer<LogsSettings.Builder> configure) {
            configure.accept(logs);
            return this;
        }

        /** Configures start/stop (global registration, shutdown and health-check timeouts). */
        public Builder lifecycle(Consumer<LifecycleSettings.Builder> configure) {
            configure.accept(lifecycle);
            return this;
        }

        /** Required service name; must not be empty. */
        public Builder serviceName(String serviceName) {
            service.serviceName(serviceName);
            return this;
        }

        /** Service version (default {@code 1.0.0}). */
        public Builder serviceVersion(String serviceVersion) {
            service.serviceVersion(serviceVersion);
            return this;
        }

        /** Deployment environment (default {@code development}); drives the default sample rate. */
        public Builder environment(String environment) {
            service.environment(environment);
            return this;
        }

        /** {@code service.instance.id} (default: a random UUID). */
        public Builder serviceInstanceId(@Nullable String serviceInstanceId) {
            service.serviceInstanceId(serviceInstanceId);
            return this;
        }

        /** Adds one resource attribute. */
        public Builder resourceAttribute(String key, String value) {
            service.resourceAttribute(key, value);
            return this;
        }

        /** Adds resource attributes. */
        public Builder resourceAttributes(Map<String, String> attributes) {
            attributes.forEach(service::resourceAttribute);
            return this;
        }

        /** Turns span recording on or off (default on). */
        public Builder tracingEnabled(boolean enabled) {
            tracing.tracingEnabled(enabled);
            return this;
        }

        /**
         * Span exporter and logs exporter name: {@code otlp} (default), {@code logging} ({@code
         * console} is accepted as an alias) or {@code none}.
         */
        public Builder exporter(String exporter) {
            tracesExporter(exporter);
            return logsExporter(exporter);
        }

        /** Span exporter name: {@code otlp} (default), {@code logging} or {@code none}. */
        public Builder tracesExporter(String exporter) {
            tracing.tracesExporter(exporter);
            return this;
        }

        /** Logs exporter name for the OTel logs bridge: {@code otlp} (default), {@code logging}, {@code none}. */
        public Builder logsExporter(String exporter) {
            logs.logsExporter(exporter);
            return this;
        }

        /** Generic OTLP base endpoint, an absolute {@code http://} or {@code https://} URL. */
        public Builder otlpEndpoint(String endpoint) {
            otlp.endpoint(endpoint);
            return this;
        }

        /** Generic OTLP protocol: {@code http/protobuf} (default) or {@code grpc}. */
        public Builder otlpProtocol(String protocol) {
            otlp.protocol(protocol);
            return this;
        }

        /** Adds a header sent with every OTLP export (e.g. an API key). */
        public Builder otlpHeader(String name, String value) {
            otlp.header(name, value);
            return this;
        }

        /** Timeout of one OTLP export call (default 10 s). */
        public Builder otlpTimeout(Duration timeout) {
            otlp.timeout(timeout);
            return this;
        }

        /** Trace sample rate in [0, 1]; default depends on the environment. */
        public Builder sampleRate(double rate) {
            tracing.sampleRate(rate);
            return this;
        }

        /** Whether sampling follows a sampled/unsampled parent (default true). */
        public Builder parentBasedSampling(boolean parentBased) {
            tracing.parentBasedSampling(parentBased);
            return this;
        }

        /** Turns metrics on or off (default on). */
        public Builder metricsEnabled(boolean enabled) {
            metrics.metricsEnabled(enabled);
            return this;
        }

        /** Turns the JVM and process metrics on or off (default on; off too when metrics are off). */
        public Builder jvmMetrics(boolean enabled) {
            metrics.jvmMetrics(enabled);
            return this;
        }

        /**
         * Starts a Prometheus HTTP server on this port ({@code 0} = any free port, {@value
         * #PROMETHEUS_DISABLED} = none, the default).
         */
        public Builder prometheusPort(int port) {
            metrics.prometheusPort(port);
            return this;
        }

        /** Bind address of the Prometheus HTTP server (default: all interfaces). */
        public Builder prometheusHost(@Nullable String host) {
            metrics.prometheusHost(host);
            return this;
        }

        /** Series cap per custom metric (default {@value #DEFAULT_MAX_SERIES_PER_METRIC}). */
        public Builder maxSeriesPerMetric(int max) {
            metrics.maxSeriesPerMetric(max);
            return this;
        }

        /** Also push the metrics over OTLP (to the metrics endpoint of {@link #otlp(Consumer)}; default off). */
        public Builder otlpMetrics(boolean enabled) {
            metrics.otlpMetrics(enabled);
            return this;
        }

        /** Interval of the OTLP metrics push (default 60 s). */
        public Builder metricsExportInterval(Duration interval) {
            metrics.metricsExportInterval(interval);
            return this;
        }

        /** Enables B3 (single {@code b3} header) in addition to W3C. */
        public Builder b3Propagation(boolean enabled) {
            tracing.b3Propagation(enabled);
            return this;
        }

        /** When B3 is enabled, inject the multi-header form instead of the single header. */
        public Builder b3MultiHeader(boolean multi) {
            tracing.b3MultiHeader(multi);
            return this;
        }

        /** Debug mode: additionally log every span through {@code java.util.logging}. */
        public Builder debug(boolean debug) {
            tracing.debug(debug);
            return this;
        }

        /** Also register the SDK as {@code GlobalOpenTelemetry} (possible once per JVM). */
        public Builder registerGlobal(boolean registerGlobal) {
            lifecycle.registerGlobal(registerGlobal);
            return this;
        }

        /** Upper bound of {@code close()} (default 5 s). */
        public Builder shutdownTimeout(Duration timeout) {
            lifecycle.shutdownTimeout(timeout);
            return this;
        }

        /** Default timeout of a health check (default 2 s). */
        public Builder healthCheckTimeout(Duration timeout) {
            lifecycle.healthCheckTimeout(timeout);
            return this;
        }

        /**
         * Bounded queue of the span batch processor (default {@value #DEFAULT_SPAN_EXPORT_QUEUE_SIZE}):
         * when export cannot keep up, further spans are dropped (never blocking the caller) and
         * counted in {@code mmf_spans_dropped_total{reason="queue_full"}}.
         */
        public Builder spanExportQueueSize(int size) {
            tracing.spanExportQueueSize(size);
            return this;
        }

        /**
         * Maximum spans per export request (default {@value #DEFAULT_SPAN_EXPORT_BATCH_SIZE}, or a quarter of a
         * queue size set alone; at most the queue size).
         */
        public Builder spanExportBatchSize(int size) {
            tracing.spanExportBatchSize(size);
            return this;
        }

        /** Delay between two span exports when the batch is not full (default 5 s). */
        public Builder spanExportScheduleDelay(Duration delay) {
            tracing.spanExportScheduleDelay(delay);
            return this;
        }

        /** How long one span export may take before it counts as failed (default 30 s). */
        public Builder spanExportTimeout(Duration timeout) {
            tracing.spanExportTimeout(timeout);
            return this;
        }

        /** Bounded queue of the log record batch processor (default {@value #DEFAULT_EXPORT_QUEUE_SIZE}). */
        public Builder logExportQueueSize(int size) {
            logs.logExportQueueSize(size);
            return this;
        }

        /** Maximum log records per export request (default {@value #DEFAULT_EXPORT_BATCH_SIZE}). */
        public Builder logExportBatchSize(int size) {
            logs.logExportBatchSize(size);
            return this;
        }

        /** Delay between two log record exports when the batch is not full (default 1 s). */
        public Builder logExportScheduleDelay(Duration delay) {
            logs.logExportScheduleDelay(delay);
            return this;
        }

        /** How long one log record export may take before it counts as failed (default 30 s). */
        public Builder logExportTimeout(Duration timeout) {
            logs.logExportTimeout(timeout);
            return this;
        }

        /**
         * Test hook: export spans to this exporter (e.g. OTel's {@code InMemorySpanExporter})
         * synchronously on span end, instead of the named exporter. The exporter stays the caller's:
         * {@code close()} flushes but does not shut it down, so it can serve several start/close
         * cycles.
         */
        public Builder spanExporter(@Nullable SpanExporter exporter) {
            this.spanExporter = exporter;
            return this;
        }

        /** Test hook: export log records to this exporter instead of the named one. */
        public Builder logRecordExporter(@Nullable LogRecordExporter exporter) {
            this.logRecordExporter = exporter;
            return this;
        }

        /** Registers metrics in this registry instead of {@code PrometheusRegistry.defaultRegistry}. */
        public Builder prometheusRegistry(@Nullable PrometheusRegistry registry) {
            this.prometheusRegistry = registry;
            return this;
        }

        /**
         * Validates and builds every area.
         *
         * @throws ObservabilityConfigException naming the key and value of the first invalid setting
         */
        public ObservabilityConfig build() {
            ServiceSettings s = service.build();
            TracingSettings t = tracing.environment(s.environment()).build();
            LogsSettings l = logs.build();
            MetricsSettings m = metrics.build();
            OtlpSettings o = otlp.build();
            LifecycleSettings lc = lifecycle.build();
            return new ObservabilityConfig(s, t, l, m, o, lc, this);
        }
    }
}
