package io.marty.observability.core;

import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Immutable configuration of {@link MartyObservability}. Values come from code (the builder) first,
 * then from the environment ({@code MMF_*} and the standard {@code OTEL_*} variables), then from
 * defaults. Invalid values fail at {@link Builder#build()} with an {@link
 * ObservabilityConfigException} naming the key and the value.
 *
 * <pre>{@code
 * ObservabilityConfig config = ObservabilityConfig.builderFromEnvironment()
 *         .serviceName("orders")
 *         .serviceVersion("1.4.2")
 *         .environment("staging")          // sampling defaults to 0.5, parent-based
 *         .otlpEndpoint("http://collector:4318")
 *         .prometheusPort(9464)
 *         .build();
 * }</pre>
 *
 * <p>Environment variables read by {@link #fromEnvironment()}:
 *
 * <ul>
 *   <li>{@code MMF_SERVICE_NAME}, {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}
 *       ({@code service.name}, {@code service.version}, {@code deployment.environment.name} are
 *       honoured), {@code MMF_SERVICE_VERSION}, {@code MMF_ENVIRONMENT} / {@code
 *       DEPLOYMENT_ENVIRONMENT}
 *   <li>{@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code MMF_OTLP_ENDPOINT}, {@code
 *       OTEL_EXPORTER_OTLP_PROTOCOL} ({@code http/protobuf|grpc}), {@code OTEL_EXPORTER_OTLP_HEADERS},
 *       {@code OTEL_EXPORTER_OTLP_TIMEOUT} (ms)
 *   <li>{@code OTEL_TRACES_EXPORTER} / {@code MMF_TRACES_EXPORTER} ({@code otlp|logging|console|none}),
 *       {@code OTEL_LOGS_EXPORTER} / {@code MMF_LOGS_EXPORTER}, {@code OTEL_SDK_DISABLED}
 *   <li>{@code OTEL_TRACES_SAMPLER} ({@code always_on, always_off, traceidratio, parentbased_*}),
 *       {@code OTEL_TRACES_SAMPLER_ARG}, {@code MMF_TRACE_SAMPLE_RATE}
 *   <li>{@code OTEL_METRICS_EXPORTER} ({@code otlp} turns on the OTLP metrics push; {@code
 *       prometheus}, {@code none}), {@code MMF_OTLP_METRICS}, {@code OTEL_METRIC_EXPORT_INTERVAL} (ms)
 *   <li>{@code OTEL_PROPAGATORS} (B3 is enabled when it lists {@code b3} or {@code b3multi}), {@code
 *       MMF_PROPAGATION_B3}
 *   <li>{@code MMF_TRACING_ENABLED}, {@code MMF_METRICS_ENABLED}, {@code MMF_JVM_METRICS}, {@code MMF_PROMETHEUS_PORT}, {@code
 *       MMF_PROMETHEUS_HOST}, {@code MMF_METRICS_MAX_SERIES}, {@code MMF_DEBUG}, {@code
 *       MMF_SHUTDOWN_TIMEOUT_MS}, {@code MMF_HEALTH_CHECK_TIMEOUT_MS}
 *   <li>{@code OTEL_BSP_MAX_QUEUE_SIZE}, {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE}, {@code
 *       OTEL_BSP_SCHEDULE_DELAY} (ms), {@code OTEL_BSP_EXPORT_TIMEOUT} (ms) and the {@code OTEL_BLRP_*}
 *       equivalents for the OTel logs bridge
 * </ul>
 */
public final class ObservabilityConfig {

    /** Exporter name: OTLP (protocol chosen by {@link Builder#otlpProtocol(String)}). */
    public static final String EXPORTER_OTLP = "otlp";
    /** Exporter name: write spans/logs through {@code java.util.logging} (debugging). */
    public static final String EXPORTER_LOGGING = "logging";
    /** Exporter name: export nothing. */
    public static final String EXPORTER_NONE = "none";
    /** OTLP protocol: protobuf over HTTP (default, port 4318). */
    public static final String PROTOCOL_HTTP_PROTOBUF = "http/protobuf";
    /** OTLP protocol: gRPC (port 4317). */
    public static final String PROTOCOL_GRPC = "grpc";
    /** Default OTLP endpoint for {@code http/protobuf}. */
    public static final String DEFAULT_OTLP_HTTP_ENDPOINT = "http://localhost:4318";
    /** Default OTLP endpoint for {@code grpc}. */
    public static final String DEFAULT_OTLP_GRPC_ENDPOINT = "http://localhost:4317";
    /** Default environment name. */
    public static final String DEFAULT_ENVIRONMENT = "development";
    /** Default per-metric series cap of the custom metric factory. */
    public static final int DEFAULT_MAX_SERIES_PER_METRIC = 2000;
    /** Default bounded queue size of the span and log batch processors (as the SDK's). */
    public static final int DEFAULT_EXPORT_QUEUE_SIZE = 2048;
    /** Default export batch size of the span and log batch processors (as the SDK's). */
    public static final int DEFAULT_EXPORT_BATCH_SIZE = 512;
    /** Prometheus port value meaning "do not start an HTTP server". */
    public static final int PROMETHEUS_DISABLED = -1;

    private static final Set<String> EXPORTERS = Set.of(EXPORTER_OTLP, EXPORTER_LOGGING, EXPORTER_NONE);
    private static final Set<String> PROTOCOLS = Set.of(PROTOCOL_HTTP_PROTOBUF, PROTOCOL_GRPC);

    private final String serviceName;
    private final String serviceVersion;
    private final String environment;
    private final String serviceInstanceId;
    private final Map<String, String> resourceAttributes;
    private final boolean tracingEnabled;
    private final String tracesExporter;
    private final String logsExporter;
    private final String otlpEndpoint;
    private final String otlpProtocol;
    private final Map<String, String> otlpHeaders;
    private final Duration otlpTimeout;
    private final double sampleRate;
    private final boolean parentBasedSampling;
    private final boolean metricsEnabled;
    private final boolean jvmMetrics;
    private final int prometheusPort;
    private final String prometheusHost;
    private final int maxSeriesPerMetric;
    private final boolean otlpMetrics;
    private final Duration metricsExportInterval;
    private final boolean b3Propagation;
    private final boolean b3MultiHeader;
    private final boolean debug;
    private final boolean registerGlobal;
    private final Duration shutdownTimeout;
    private final Duration healthCheckTimeout;
    private final BatchSettings spanBatch;
    private final BatchSettings logBatch;
    private final SpanExporter spanExporter;
    private final LogRecordExporter logRecordExporter;
    private final PrometheusRegistry prometheusRegistry;

    private ObservabilityConfig(Builder b, double sampleRate) {
        this.serviceName = b.serviceName.trim();
        this.serviceVersion = b.serviceVersion;
        this.environment = b.environment.trim().toLowerCase(Locale.ROOT);
        this.serviceInstanceId = b.serviceInstanceId != null
                ? b.serviceInstanceId
                : UUID.randomUUID().toString();
        this.resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.resourceAttributes));
        this.tracingEnabled = b.tracingEnabled;
        this.tracesExporter = b.tracesExporter;
        this.logsExporter = b.logsExporter;
        this.otlpProtocol = b.otlpProtocol;
        this.otlpEndpoint = b.otlpEndpoint != null
                ? stripTrailingSlash(b.otlpEndpoint)
                : (PROTOCOL_GRPC.equals(b.otlpProtocol) ? DEFAULT_OTLP_GRPC_ENDPOINT : DEFAULT_OTLP_HTTP_ENDPOINT);
        this.otlpHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.otlpHeaders));
        this.otlpTimeout = b.otlpTimeout;
        this.sampleRate = sampleRate;
        this.parentBasedSampling = b.parentBasedSampling;
        this.metricsEnabled = b.metricsEnabled;
        this.jvmMetrics = b.jvmMetrics;
        this.prometheusPort = b.prometheusPort;
        this.prometheusHost = b.prometheusHost;
        this.maxSeriesPerMetric = b.maxSeriesPerMetric;
        this.otlpMetrics = b.otlpMetrics;
        this.metricsExportInterval = b.metricsExportInterval;
        this.b3Propagation = b.b3Propagation;
        this.b3MultiHeader = b.b3MultiHeader;
        this.debug = b.debug;
        this.registerGlobal = b.registerGlobal;
        this.shutdownTimeout = b.shutdownTimeout;
        this.healthCheckTimeout = b.healthCheckTimeout;
        this.spanBatch = b.spanBatch.copy();
        this.logBatch = b.logBatch.copy();
        this.spanExporter = b.spanExporter;
        this.logRecordExporter = b.logRecordExporter;
        this.prometheusRegistry = b.prometheusRegistry;
    }

    /** A builder with nothing taken from the environment (only defaults). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled from {@link System#getenv()}; values set on it afterwards win. */
    public static Builder builderFromEnvironment() {
        return builderFromEnvironment(System.getenv());
    }

    /**
     * A builder pre-filled from the given environment map (testable form of {@link
     * #builderFromEnvironment()}); values set on it afterwards win.
     *
     * @throws ObservabilityConfigException when a variable cannot be parsed (names the variable)
     */
    public static Builder builderFromEnvironment(Map<String, String> env) {
        Builder b = new Builder();
        b.applyEnvironment(Objects.requireNonNull(env, "env"));
        return b;
    }

    /** Configuration read from {@link System#getenv()} alone. */
    public static ObservabilityConfig fromEnvironment() {
        return builderFromEnvironment().build();
    }

    /** Configuration read from the given environment map alone. */
    public static ObservabilityConfig fromEnvironment(Map<String, String> env) {
        return builderFromEnvironment(env).build();
    }

    /**
     * The default trace sample rate of an environment: development 1.0, testing 1.0, staging 0.5,
     * production 0.1, anything else 0.1.
     */
    public static double defaultSampleRate(String environment) {
        switch (environment == null ? "" : environment.trim().toLowerCase(Locale.ROOT)) {
            case "development":
            case "dev":
            case "local":
            case "testing":
            case "test":
                return 1.0;
            case "staging":
                return 0.5;
            default:
                return 0.1;
        }
    }

    /** Service name ({@code service.name} resource attribute and {@code service} metric label). */
    public String serviceName() {
        return serviceName;
    }

    /** Service version ({@code service.version}). */
    public String serviceVersion() {
        return serviceVersion;
    }

    /** Deployment environment, lower case ({@code deployment.environment.name}). */
    public String environment() {
        return environment;
    }

    /** {@code service.instance.id}: given, or a random UUID per config. */
    public String serviceInstanceId() {
        return serviceInstanceId;
    }

    /** Extra resource attributes (from {@code OTEL_RESOURCE_ATTRIBUTES} and the builder). */
    public Map<String, String> resourceAttributes() {
        return resourceAttributes;
    }

    /** Whether spans are recorded at all. */
    public boolean tracingEnabled() {
        return tracingEnabled;
    }

    /** Span exporter name: {@code otlp}, {@code logging} or {@code none}. */
    public String tracesExporter() {
        return tracesExporter;
    }

    /** Log record exporter name for the OTel logs bridge: {@code otlp}, {@code logging} or {@code none}. */
    public String logsExporter() {
        return logsExporter;
    }

    /** OTLP base endpoint without trailing slash, e.g. {@code http://localhost:4318}. */
    public String otlpEndpoint() {
        return otlpEndpoint;
    }

    /** OTLP protocol: {@code http/protobuf} or {@code grpc}. */
    public String otlpProtocol() {
        return otlpProtocol;
    }

    /** Extra headers sent with every OTLP export. */
    public Map<String, String> otlpHeaders() {
        return otlpHeaders;
    }

    /** Timeout of one OTLP export call. */
    public Duration otlpTimeout() {
        return otlpTimeout;
    }

    /** Trace sample rate in [0, 1] (explicit, or the environment's default). */
    public double sampleRate() {
        return sampleRate;
    }

    /** Whether sampling follows the parent's decision (default true). */
    public boolean parentBasedSampling() {
        return parentBasedSampling;
    }

    /** Whether RED and custom metrics are recorded. */
    public boolean metricsEnabled() {
        return metricsEnabled;
    }

    /**
     * Whether JVM and process metrics (memory, GC, threads, classes, CPU, file descriptors, buffer
     * pools) are registered next to the Marty metrics; default true, {@code MMF_JVM_METRICS}.
     */
    public boolean jvmMetrics() {
        return jvmMetrics;
    }

    /**
     * Port of the Prometheus {@code /metrics} HTTP server; {@code 0} picks a free port (see {@link
     * MartyObservability#prometheusPort()}), {@value #PROMETHEUS_DISABLED} starts no server.
     */
    public int prometheusPort() {
        return prometheusPort;
    }

    /** Bind address of the Prometheus HTTP server, or {@code null} for all interfaces. */
    public String prometheusHost() {
        return prometheusHost;
    }

    /** Series cap per custom metric; further label combinations go to one {@code other} series. */
    public int maxSeriesPerMetric() {
        return maxSeriesPerMetric;
    }

    /**
     * Whether the Prometheus registry is also pushed over OTLP (to {@link #otlpEndpoint()}, every
     * {@link #metricsExportInterval()}); off by default ({@code /metrics} is the primary path).
     */
    public boolean otlpMetrics() {
        return otlpMetrics;
    }

    /** Interval of the OTLP metrics push (default 60 s). */
    public Duration metricsExportInterval() {
        return metricsExportInterval;
    }

    /** Whether B3 headers are injected and extracted in addition to W3C. */
    public boolean b3Propagation() {
        return b3Propagation;
    }

    /** When B3 is on: inject the multi-header form ({@code X-B3-*}) instead of single {@code b3}. */
    public boolean b3MultiHeader() {
        return b3MultiHeader;
    }

    /** Debug mode: also log every exported span through {@code java.util.logging}. */
    public boolean debug() {
        return debug;
    }

    /** Whether {@code start} also sets {@code GlobalOpenTelemetry} (once per JVM; default false). */
    public boolean registerGlobal() {
        return registerGlobal;
    }

    /** Upper bound of {@link MartyObservability#close()} (flush + shutdown). */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Default timeout of one health check. */
    public Duration healthCheckTimeout() {
        return healthCheckTimeout;
    }

    /** Bounded queue of the span batch processor; spans beyond it are dropped and counted (default 2048). */
    public int spanExportQueueSize() {
        return spanBatch.queueSize;
    }

    /** Maximum spans per OTLP export request (default 512). */
    public int spanExportBatchSize() {
        return spanBatch.batchSize;
    }

    /** Delay between two span exports when the batch is not full (default 5 s). */
    public Duration spanExportScheduleDelay() {
        return spanBatch.scheduleDelay;
    }

    /** How long the span batch processor waits for one export before counting it failed (default 30 s). */
    public Duration spanExportTimeout() {
        return spanBatch.timeout;
    }

    /** Bounded queue of the log record batch processor (OTel logs bridge; default 2048). */
    public int logExportQueueSize() {
        return logBatch.queueSize;
    }

    /** Maximum log records per OTLP export request (default 512). */
    public int logExportBatchSize() {
        return logBatch.batchSize;
    }

    /** Delay between two log record exports when the batch is not full (default 1 s). */
    public Duration logExportScheduleDelay() {
        return logBatch.scheduleDelay;
    }

    /** How long the log record batch processor waits for one export (default 30 s). */
    public Duration logExportTimeout() {
        return logBatch.timeout;
    }

    /** Test hook: span exporter used instead of the named one (exported synchronously), or null. */
    public SpanExporter spanExporter() {
        return spanExporter;
    }

    /** Test hook: log record exporter used instead of the named one, or null. */
    public LogRecordExporter logRecordExporter() {
        return logRecordExporter;
    }

    /** Registry metrics are registered in: the configured one, or null for the default registry. */
    public PrometheusRegistry prometheusRegistry() {
        return prometheusRegistry;
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.serviceName = serviceName;
        b.serviceVersion = serviceVersion;
        b.environment = environment;
        b.serviceInstanceId = serviceInstanceId;
        b.resourceAttributes.putAll(resourceAttributes);
        b.tracingEnabled = tracingEnabled;
        b.tracesExporter = tracesExporter;
        b.logsExporter = logsExporter;
        b.otlpEndpoint = otlpEndpoint;
        b.otlpProtocol = otlpProtocol;
        b.otlpHeaders.putAll(otlpHeaders);
        b.otlpTimeout = otlpTimeout;
        b.sampleRate = sampleRate;
        b.parentBasedSampling = parentBasedSampling;
        b.metricsEnabled = metricsEnabled;
        b.jvmMetrics = jvmMetrics;
        b.prometheusPort = prometheusPort;
        b.prometheusHost = prometheusHost;
        b.maxSeriesPerMetric = maxSeriesPerMetric;
        b.otlpMetrics = otlpMetrics;
        b.metricsExportInterval = metricsExportInterval;
        b.b3Propagation = b3Propagation;
        b.b3MultiHeader = b3MultiHeader;
        b.debug = debug;
        b.registerGlobal = registerGlobal;
        b.shutdownTimeout = shutdownTimeout;
        b.healthCheckTimeout = healthCheckTimeout;
        b.spanBatch = spanBatch.copy();
        b.logBatch = logBatch.copy();
        b.spanExporter = spanExporter;
        b.logRecordExporter = logRecordExporter;
        b.prometheusRegistry = prometheusRegistry;
        return b;
    }

    @Override
    public String toString() {
        return "ObservabilityConfig{service=" + serviceName + ", version=" + serviceVersion + ", environment="
                + environment + ", tracing=" + tracingEnabled + ", tracesExporter=" + tracesExporter
                + ", logsExporter=" + logsExporter + ", otlp=" + otlpEndpoint + " (" + otlpProtocol + ")"
                + ", sampleRate=" + sampleRate + (parentBasedSampling ? " parent-based" : "") + ", metrics="
                + metricsEnabled + (otlpMetrics ? " +otlp" : "") + ", prometheusPort=" + prometheusPort + ", b3="
                + b3Propagation + "}";
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Settings of one SDK batch processor; {@code prefix} names its builder properties. */
    private static final class BatchSettings {
        final String prefix;
        final String envPrefix;
        int queueSize = DEFAULT_EXPORT_QUEUE_SIZE;
        int batchSize = DEFAULT_EXPORT_BATCH_SIZE;
        Duration scheduleDelay;
        Duration timeout = Duration.ofSeconds(30);

        BatchSettings(String prefix, String envPrefix, Duration scheduleDelay) {
            this.prefix = prefix;
            this.envPrefix = envPrefix;
            this.scheduleDelay = scheduleDelay;
        }

        BatchSettings copy() {
            BatchSettings c = new BatchSettings(prefix, envPrefix, scheduleDelay);
            c.queueSize = queueSize;
            c.batchSize = batchSize;
            c.timeout = timeout;
            return c;
        }
    }

    /**
     * Builder of {@link ObservabilityConfig}. Setters record the builder property name so that
     * errors name it; values loaded from the environment name the variable instead.
     */
    public static final class Builder {
        private String serviceName;
        private String serviceVersion = "1.0.0";
        private String environment = DEFAULT_ENVIRONMENT;
        private String serviceInstanceId;
        private final Map<String, String> resourceAttributes = new LinkedHashMap<>();
        private boolean tracingEnabled = true;
        private String tracesExporter = EXPORTER_OTLP;
        private String logsExporter = EXPORTER_OTLP;
        private String otlpEndpoint;
        private String otlpProtocol = PROTOCOL_HTTP_PROTOBUF;
        private final Map<String, String> otlpHeaders = new LinkedHashMap<>();
        private Duration otlpTimeout = Duration.ofSeconds(10);
        private Double sampleRate;
        private boolean parentBasedSampling = true;
        private boolean metricsEnabled = true;
        private boolean jvmMetrics = true;
        private int prometheusPort = PROMETHEUS_DISABLED;
        private String prometheusHost;
        private int maxSeriesPerMetric = DEFAULT_MAX_SERIES_PER_METRIC;
        private boolean otlpMetrics;
        private Duration metricsExportInterval = Duration.ofSeconds(60);
        private boolean b3Propagation;
        private boolean b3MultiHeader;
        private boolean debug;
        private boolean registerGlobal;
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private Duration healthCheckTimeout = Duration.ofSeconds(2);
        private BatchSettings spanBatch = new BatchSettings("spanExport", "OTEL_BSP_", Duration.ofSeconds(5));
        private BatchSettings logBatch = new BatchSettings("logExport", "OTEL_BLRP_", Duration.ofSeconds(1));
        private SpanExporter spanExporter;
        private LogRecordExporter logRecordExporter;
        private PrometheusRegistry prometheusRegistry;
        // property -> the key that last set it (builder property name or environment variable)
        private final Map<String, String> keys = new HashMap<>();
        private final Map<String, String> rawValues = new HashMap<>();

        private Builder() {}

        private void from(String property, String key, String raw) {
            keys.put(property, key);
            rawValues.put(property, raw);
        }

        private void fromCode(String property, Object value) {
            from(property, property, String.valueOf(value));
        }

        /** Required service name; must not be empty. */
        public Builder serviceName(String serviceName) {
            this.serviceName = serviceName;
            fromCode("serviceName", serviceName);
            return this;
        }

        /** Service version (default {@code 1.0.0}). */
        public Builder serviceVersion(String serviceVersion) {
            this.serviceVersion = serviceVersion;
            fromCode("serviceVersion", serviceVersion);
            return this;
        }

        /** Deployment environment (default {@code development}); drives the default sample rate. */
        public Builder environment(String environment) {
            this.environment = environment;
            fromCode("environment", environment);
            return this;
        }

        /** {@code service.instance.id} (default: a random UUID). */
        public Builder serviceInstanceId(String serviceInstanceId) {
            this.serviceInstanceId = serviceInstanceId;
            return this;
        }

        /** Adds one resource attribute. */
        public Builder resourceAttribute(String key, String value) {
            resourceAttributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds resource attributes. */
        public Builder resourceAttributes(Map<String, String> attributes) {
            attributes.forEach(this::resourceAttribute);
            return this;
        }

        /** Turns span recording on or off (default on). */
        public Builder tracingEnabled(boolean enabled) {
            this.tracingEnabled = enabled;
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
            this.tracesExporter = normalizeExporter(exporter);
            from("tracesExporter", "tracesExporter", exporter);
            return this;
        }

        /** Logs exporter name for the OTel logs bridge: {@code otlp} (default), {@code logging}, {@code none}. */
        public Builder logsExporter(String exporter) {
            this.logsExporter = normalizeExporter(exporter);
            from("logsExporter", "logsExporter", exporter);
            return this;
        }

        /** OTLP base endpoint, an absolute {@code http://} or {@code https://} URL. */
        public Builder otlpEndpoint(String endpoint) {
            this.otlpEndpoint = endpoint;
            fromCode("otlpEndpoint", endpoint);
            return this;
        }

        /** OTLP protocol: {@code http/protobuf} (default) or {@code grpc}. */
        public Builder otlpProtocol(String protocol) {
            this.otlpProtocol = protocol;
            fromCode("otlpProtocol", protocol);
            return this;
        }

        /** Adds a header sent with every OTLP export (e.g. an API key). */
        public Builder otlpHeader(String name, String value) {
            otlpHeaders.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Timeout of one OTLP export call (default 10 s). */
        public Builder otlpTimeout(Duration timeout) {
            this.otlpTimeout = timeout;
            fromCode("otlpTimeout", timeout);
            return this;
        }

        /** Trace sample rate in [0, 1]; default depends on the environment. */
        public Builder sampleRate(double rate) {
            this.sampleRate = rate;
            fromCode("sampleRate", rate);
            return this;
        }

        /** Whether sampling follows a sampled/unsampled parent (default true). */
        public Builder parentBasedSampling(boolean parentBased) {
            this.parentBasedSampling = parentBased;
            return this;
        }

        /** Turns metrics on or off (default on). */
        public Builder metricsEnabled(boolean enabled) {
            this.metricsEnabled = enabled;
            return this;
        }

        /** Turns the JVM/process metrics on or off (default on; off too when metrics are off). */
        public Builder jvmMetrics(boolean enabled) {
            this.jvmMetrics = enabled;
            return this;
        }

        /**
         * Starts a Prometheus HTTP server on this port ({@code 0} = any free port, {@value
         * #PROMETHEUS_DISABLED} = none, the default).
         */
        public Builder prometheusPort(int port) {
            this.prometheusPort = port;
            fromCode("prometheusPort", port);
            return this;
        }

        /** Bind address of the Prometheus HTTP server (default: all interfaces). */
        public Builder prometheusHost(String host) {
            this.prometheusHost = host;
            return this;
        }

        /** Series cap per custom metric (default {@value #DEFAULT_MAX_SERIES_PER_METRIC}). */
        public Builder maxSeriesPerMetric(int max) {
            this.maxSeriesPerMetric = max;
            fromCode("maxSeriesPerMetric", max);
            return this;
        }

        /** Also push the metrics over OTLP (same endpoint and protocol as spans; default off). */
        public Builder otlpMetrics(boolean enabled) {
            this.otlpMetrics = enabled;
            return this;
        }

        /** Interval of the OTLP metrics push (default 60 s). */
        public Builder metricsExportInterval(Duration interval) {
            this.metricsExportInterval = interval;
            fromCode("metricsExportInterval", interval);
            return this;
        }

        /** Enables B3 (single {@code b3} header) in addition to W3C. */
        public Builder b3Propagation(boolean enabled) {
            this.b3Propagation = enabled;
            return this;
        }

        /** When B3 is enabled, inject the multi-header form instead of the single header. */
        public Builder b3MultiHeader(boolean multi) {
            this.b3MultiHeader = multi;
            return this;
        }

        /** Debug mode: additionally log every span through {@code java.util.logging}. */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** Also register the SDK as {@code GlobalOpenTelemetry} (possible once per JVM). */
        public Builder registerGlobal(boolean registerGlobal) {
            this.registerGlobal = registerGlobal;
            return this;
        }

        /** Upper bound of {@code close()} (default 5 s). */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            fromCode("shutdownTimeout", timeout);
            return this;
        }

        /** Default timeout of a health check (default 2 s). */
        public Builder healthCheckTimeout(Duration timeout) {
            this.healthCheckTimeout = timeout;
            fromCode("healthCheckTimeout", timeout);
            return this;
        }

        /**
         * Bounded queue of the span batch processor (default {@value #DEFAULT_EXPORT_QUEUE_SIZE}):
         * when export cannot keep up, further spans are dropped (never blocking the caller) and
         * counted in {@code mmf_spans_dropped_total{reason="queue_full"}}.
         */
        public Builder spanExportQueueSize(int size) {
            spanBatch.queueSize = size;
            fromCode("spanExportQueueSize", size);
            return this;
        }

        /** Maximum spans per export request (default {@value #DEFAULT_EXPORT_BATCH_SIZE}; at most the queue size). */
        public Builder spanExportBatchSize(int size) {
            spanBatch.batchSize = size;
            fromCode("spanExportBatchSize", size);
            return this;
        }

        /** Delay between two span exports when the batch is not full (default 5 s). */
        public Builder spanExportScheduleDelay(Duration delay) {
            spanBatch.scheduleDelay = delay;
            fromCode("spanExportScheduleDelay", delay);
            return this;
        }

        /** How long one span export may take before it counts as failed (default 30 s). */
        public Builder spanExportTimeout(Duration timeout) {
            spanBatch.timeout = timeout;
            fromCode("spanExportTimeout", timeout);
            return this;
        }

        /** Bounded queue of the log record batch processor (default {@value #DEFAULT_EXPORT_QUEUE_SIZE}). */
        public Builder logExportQueueSize(int size) {
            logBatch.queueSize = size;
            fromCode("logExportQueueSize", size);
            return this;
        }

        /** Maximum log records per export request (default {@value #DEFAULT_EXPORT_BATCH_SIZE}). */
        public Builder logExportBatchSize(int size) {
            logBatch.batchSize = size;
            fromCode("logExportBatchSize", size);
            return this;
        }

        /** Delay between two log record exports when the batch is not full (default 1 s). */
        public Builder logExportScheduleDelay(Duration delay) {
            logBatch.scheduleDelay = delay;
            fromCode("logExportScheduleDelay", delay);
            return this;
        }

        /** How long one log record export may take before it counts as failed (default 30 s). */
        public Builder logExportTimeout(Duration timeout) {
            logBatch.timeout = timeout;
            fromCode("logExportTimeout", timeout);
            return this;
        }

        /**
         * Test hook: export spans to this exporter (e.g. OTel's {@code InMemorySpanExporter})
         * synchronously on span end, instead of the named exporter. The exporter stays the caller's:
         * {@code close()} flushes but does not shut it down, so it can serve several start/close
         * cycles.
         */
        public Builder spanExporter(SpanExporter exporter) {
            this.spanExporter = exporter;
            return this;
        }

        /** Test hook: export log records to this exporter instead of the named one. */
        public Builder logRecordExporter(LogRecordExporter exporter) {
            this.logRecordExporter = exporter;
            return this;
        }

        /** Registers metrics in this registry instead of {@code PrometheusRegistry.defaultRegistry}. */
        public Builder prometheusRegistry(PrometheusRegistry registry) {
            this.prometheusRegistry = registry;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ObservabilityConfigException naming the key and value of the first invalid setting
         */
        public ObservabilityConfig build() {
            if (serviceName == null || serviceName.isBlank()) {
                throw error("serviceName", serviceName, "the service name must not be empty");
            }
            if (serviceVersion == null || serviceVersion.isBlank()) {
                throw error("serviceVersion", serviceVersion, "the service version must not be empty");
            }
            if (environment == null || environment.isBlank()) {
                throw error("environment", environment, "the environment must not be empty");
            }
            checkExporter("tracesExporter", tracesExporter);
            checkExporter("logsExporter", logsExporter);
            if (otlpProtocol == null || !PROTOCOLS.contains(otlpProtocol)) {
                throw error("otlpProtocol", otlpProtocol, "must be one of http/protobuf, grpc");
            }
            if (otlpEndpoint != null) {
                checkEndpoint(otlpEndpoint);
            }
            checkPositive("otlpTimeout", otlpTimeout);
            checkPositive("shutdownTimeout", shutdownTimeout);
            checkPositive("healthCheckTimeout", healthCheckTimeout);
            checkPositive("metricsExportInterval", metricsExportInterval);
            double rate = sampleRate != null ? sampleRate : defaultSampleRate(environment);
            if (Double.isNaN(rate) || rate < 0.0 || rate > 1.0) {
                throw error("sampleRate", sampleRate, "the sample rate must be between 0.0 and 1.0");
            }
            if (prometheusPort < PROMETHEUS_DISABLED || prometheusPort > 65535) {
                throw error("prometheusPort", prometheusPort, "must be 0..65535 (0 = any free port) or -1 (no server)");
            }
            if (maxSeriesPerMetric < 1) {
                throw error("maxSeriesPerMetric", maxSeriesPerMetric, "must be at least 1");
            }
            checkBatch(spanBatch);
            checkBatch(logBatch);
            return new ObservabilityConfig(this, rate);
        }

        private ObservabilityConfigException error(String property, Object value, String reason) {
            String key = keys.getOrDefault(property, property);
            String raw = rawValues.containsKey(property)
                    ? rawValues.get(property)
                    : (value == null ? null : String.valueOf(value));
            return new ObservabilityConfigException(key, raw, reason);
        }

        private void checkExporter(String property, String exporter) {
            if (exporter == null || !EXPORTERS.contains(exporter)) {
                throw error(property, exporter, "unknown exporter; must be one of otlp, logging, none");
            }
        }

        private void checkBatch(BatchSettings s) {
            if (s.queueSize < 1) {
                throw error(s.prefix + "QueueSize", s.queueSize, "must be at least 1");
            }
            if (s.batchSize < 1 || s.batchSize > s.queueSize) {
                throw error(
                        s.prefix + "BatchSize",
                        s.batchSize,
                        "must be between 1 and the queue size (" + s.queueSize + ")");
            }
            if (s.scheduleDelay == null || s.scheduleDelay.isNegative()) {
                throw error(s.prefix + "ScheduleDelay", s.scheduleDelay, "must be zero or a positive duration");
            }
            checkPositive(s.prefix + "Timeout", s.timeout);
        }

        private void applyBatchEnvironment(Map<String, String> env, Map<String, String> resource, BatchSettings s) {
            firstSet(env, resource, s.prefix + "QueueSize", s.envPrefix + "MAX_QUEUE_SIZE")
                    .ifPresent(v -> s.queueSize = integer(s.prefix + "QueueSize", v));
            firstSet(env, resource, s.prefix + "BatchSize", s.envPrefix + "MAX_EXPORT_BATCH_SIZE")
                    .ifPresent(v -> s.batchSize = integer(s.prefix + "BatchSize", v));
            firstSet(env, resource, s.prefix + "ScheduleDelay", s.envPrefix + "SCHEDULE_DELAY")
                    .ifPresent(v -> s.scheduleDelay = millis(s.prefix + "ScheduleDelay", v));
            firstSet(env, resource, s.prefix + "Timeout", s.envPrefix + "EXPORT_TIMEOUT")
                    .ifPresent(v -> s.timeout = millis(s.prefix + "Timeout", v));
        }

        private void checkPositive(String property, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw error(property, d, "must be a positive duration");
            }
        }

        private void checkEndpoint(String endpoint) {
            String reason = "must be an absolute http:// or https:// URL such as http://localhost:4318";
            URI uri;
            try {
                uri = new URI(endpoint);
            } catch (URISyntaxException e) {
                throw error("otlpEndpoint", endpoint, reason);
            }
            String scheme = uri.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw error("otlpEndpoint", endpoint, reason);
            }
        }

        private static String normalizeExporter(String exporter) {
            if (exporter == null) {
                return null;
            }
            String e = exporter.trim().toLowerCase(Locale.ROOT);
            return e.equals("console") ? EXPORTER_LOGGING : e;
        }

        // ---- environment -------------------------------------------------------------------

        private void applyEnvironment(Map<String, String> env) {
            Map<String, String> resource = parseKeyValues(env, "OTEL_RESOURCE_ATTRIBUTES");
            resource.forEach(resourceAttributes::put);
            // promoted attributes are configured through their own fields
            resourceAttributes.remove("service.name");
            resourceAttributes.remove("service.version");
            resourceAttributes.remove("deployment.environment.name");
            resourceAttributes.remove("deployment.environment");

            firstSet(env, resource, "serviceName", "MMF_SERVICE_NAME", "OTEL_SERVICE_NAME", "@service.name")
                    .ifPresent(v -> serviceName = v);
            firstSet(env, resource, "serviceVersion", "MMF_SERVICE_VERSION", "@service.version")
                    .ifPresent(v -> serviceVersion = v);
            firstSet(
                            env,
                            resource,
                            "environment",
                            "MMF_ENVIRONMENT",
                            "DEPLOYMENT_ENVIRONMENT",
                            "@deployment.environment.name",
                            "@deployment.environment")
                    .ifPresent(v -> environment = v);
            firstSet(env, resource, "otlpEndpoint", "MMF_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
                    .ifPresent(v -> otlpEndpoint = v);
            firstSet(env, resource, "otlpProtocol", "MMF_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")
                    .ifPresent(v -> otlpProtocol = v.trim());
            parseKeyValues(env, "OTEL_EXPORTER_OTLP_HEADERS").forEach(otlpHeaders::put);
            firstSet(env, resource, "otlpTimeout", "OTEL_EXPORTER_OTLP_TIMEOUT")
                    .ifPresent(v -> otlpTimeout = millis("otlpTimeout", v));
            firstSet(env, resource, "tracesExporter", "MMF_TRACES_EXPORTER", "OTEL_TRACES_EXPORTER")
                    .ifPresent(v -> tracesExporter = normalizeExporter(v));
            firstSet(env, resource, "logsExporter", "MMF_LOGS_EXPORTER", "OTEL_LOGS_EXPORTER")
                    .ifPresent(v -> logsExporter = normalizeExporter(v));
            firstSet(env, resource, "tracingEnabled", "MMF_TRACING_ENABLED")
                    .ifPresent(v -> tracingEnabled = bool("tracingEnabled", v));
            firstSet(env, resource, "sdkDisabled", "OTEL_SDK_DISABLED").ifPresent(v -> {
                if (bool("sdkDisabled", v)) {
                    tracingEnabled = false;
                }
            });
            firstSet(env, resource, "metricsEnabled", "MMF_METRICS_ENABLED")
                    .ifPresent(v -> metricsEnabled = bool("metricsEnabled", v));
            firstSet(env, resource, "jvmMetrics", "MMF_JVM_METRICS").ifPresent(v -> jvmMetrics = bool("jvmMetrics", v));
            firstSet(env, resource, "prometheusPort", "MMF_PROMETHEUS_PORT")
                    .ifPresent(v -> prometheusPort = integer("prometheusPort", v));
            firstSet(env, resource, "prometheusHost", "MMF_PROMETHEUS_HOST").ifPresent(v -> prometheusHost = v);
            firstSet(env, resource, "maxSeriesPerMetric", "MMF_METRICS_MAX_SERIES")
                    .ifPresent(v -> maxSeriesPerMetric = integer("maxSeriesPerMetric", v));
            firstSet(env, resource, "otlpMetrics", "OTEL_METRICS_EXPORTER").ifPresent(v -> {
                for (String e : v.split(",")) {
                    String name = e.trim().toLowerCase(Locale.ROOT);
                    if (name.equals("otlp")) {
                        otlpMetrics = true;
                    } else if (!name.equals("none") && !name.equals("prometheus")) {
                        throw error("otlpMetrics", v, "unknown metrics exporter; must be otlp, prometheus or none");
                    }
                }
            });
            firstSet(env, resource, "otlpMetrics", "MMF_OTLP_METRICS")
                    .ifPresent(v -> otlpMetrics = bool("otlpMetrics", v));
            firstSet(env, resource, "metricsExportInterval", "OTEL_METRIC_EXPORT_INTERVAL")
                    .ifPresent(v -> metricsExportInterval = millis("metricsExportInterval", v));
            firstSet(env, resource, "debug", "MMF_DEBUG").ifPresent(v -> debug = bool("debug", v));
            firstSet(env, resource, "shutdownTimeout", "MMF_SHUTDOWN_TIMEOUT_MS")
                    .ifPresent(v -> shutdownTimeout = millis("shutdownTimeout", v));
            firstSet(env, resource, "healthCheckTimeout", "MMF_HEALTH_CHECK_TIMEOUT_MS")
                    .ifPresent(v -> healthCheckTimeout = millis("healthCheckTimeout", v));
            firstSet(env, resource, "propagators", "OTEL_PROPAGATORS").ifPresent(v -> {
                for (String p : v.split(",")) {
                    String name = p.trim().toLowerCase(Locale.ROOT);
                    if (name.equals("b3")) {
                        b3Propagation = true;
                    } else if (name.equals("b3multi")) {
                        b3Propagation = true;
                        b3MultiHeader = true;
                    }
                }
            });
            firstSet(env, resource, "b3Propagation", "MMF_PROPAGATION_B3")
                    .ifPresent(v -> b3Propagation = bool("b3Propagation", v));
            applyBatchEnvironment(env, resource, spanBatch);
            applyBatchEnvironment(env, resource, logBatch);
            applySampler(env);
        }

        private void applySampler(Map<String, String> env) {
            String mmfRate = nonBlank(env.get("MMF_TRACE_SAMPLE_RATE"));
            String sampler = nonBlank(env.get("OTEL_TRACES_SAMPLER"));
            String arg = nonBlank(env.get("OTEL_TRACES_SAMPLER_ARG"));
            if (sampler != null) {
                String s = sampler.trim().toLowerCase(Locale.ROOT);
                from("sampleRate", "OTEL_TRACES_SAMPLER", sampler);
                switch (s) {
                    case "always_on":
                        sampleRate = 1.0;
                        parentBasedSampling = false;
                        break;
                    case "always_off":
                        sampleRate = 0.0;
                        parentBasedSampling = false;
                        break;
                    case "parentbased_always_on":
                        sampleRate = 1.0;
                        parentBasedSampling = true;
                        break;
                    case "parentbased_always_off":
                        sampleRate = 0.0;
                        parentBasedSampling = true;
                        break;
                    case "traceidratio":
                    case "parentbased_traceidratio":
                        parentBasedSampling = s.startsWith("parentbased_");
                        if (arg != null) {
                            from("sampleRate", "OTEL_TRACES_SAMPLER_ARG", arg);
                            sampleRate = number("sampleRate", arg);
                        } else {
                            sampleRate = 1.0; // OTel spec default for a missing ratio argument
                        }
                        break;
                    default:
                        throw new ObservabilityConfigException(
                                "OTEL_TRACES_SAMPLER",
                                sampler,
                                "unknown sampler; must be one of always_on, always_off, traceidratio,"
                                        + " parentbased_always_on, parentbased_always_off,"
                                        + " parentbased_traceidratio");
                }
            }
            if (mmfRate != null) {
                from("sampleRate", "MMF_TRACE_SAMPLE_RATE", mmfRate);
                sampleRate = number("sampleRate", mmfRate);
            }
        }

        private java.util.Optional<String> firstSet(
                Map<String, String> env, Map<String, String> resource, String property, String... names) {
            for (String name : names) {
                String v = name.startsWith("@") ? resource.get(name.substring(1)) : env.get(name);
                if (nonBlank(v) != null) {
                    from(property, name.startsWith("@") ? "OTEL_RESOURCE_ATTRIBUTES" : name, v);
                    return java.util.Optional.of(v.trim());
                }
            }
            return java.util.Optional.empty();
        }

        private static String nonBlank(String v) {
            return v == null || v.isBlank() ? null : v;
        }

        private boolean bool(String property, String v) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            switch (s) {
                case "true":
                case "1":
                case "yes":
                case "on":
                    return true;
                case "false":
                case "0":
                case "no":
                case "off":
                    return false;
                default:
                    throw error(property, v, "must be a boolean (true/false, 1/0, yes/no, on/off)");
            }
        }

        private int integer(String property, String v) {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw error(property, v, "must be an integer");
            }
        }

        private double number(String property, String v) {
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw error(property, v, "must be a number");
            }
        }

        private Duration millis(String property, String v) {
            try {
                return Duration.ofMillis(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw error(property, v, "must be a whole number of milliseconds");
            }
        }

        /** Parses {@code k=v,k2=v2} with percent-decoded values, as the OTel spec defines it. */
        private static Map<String, String> parseKeyValues(Map<String, String> env, String variable) {
            String raw = env.get(variable);
            Map<String, String> out = new LinkedHashMap<>();
            if (raw == null || raw.isBlank()) {
                return out;
            }
            for (String part : raw.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new ObservabilityConfigException(
                            variable, raw, "entry '" + part.trim() + "' is not of the form key=value");
                }
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                try {
                    value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new ObservabilityConfigException(
                            variable, raw, "value of '" + key + "' is not valid percent-encoding");
                }
                out.put(key, value);
            }
            return out;
        }
    }
}
