package io.marty.observability.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code marty.*} properties. Every setting left unset falls back to the {@code OTEL_*} /
 * {@code MMF_*} environment variable (or {@code -Dotel.*}/{@code -Dmmf.*} system property) that
 * core reads, then to core's default; see {@code docs/spring-boot.md} for the table.
 *
 * <pre>{@code
 * marty:
 *   service:
 *     name: checkout
 *     environment: production
 *   tracing:
 *     sampling-ratio: 0.2
 *   otlp:
 *     endpoint: http://otel-collector:4318
 * }</pre>
 */
@ConfigurationProperties(prefix = "marty")
public class MartyProperties {

    /** Whether Marty is set up at all; {@code false} registers no bean, filter or endpoint. */
    private boolean enabled = true;

    private final Service service = new Service();
    private final Tracing tracing = new Tracing();
    private final Otlp otlp = new Otlp();
    private final Metrics metrics = new Metrics();
    private final Logs logs = new Logs();
    private final Http http = new Http();
    private final Grpc grpc = new Grpc();
    private final Jdbc jdbc = new Jdbc();
    private final Redis redis = new Redis();
    private final Kafka kafka = new Kafka();
    private final Slo slo = new Slo();
    private final Micrometer micrometer = new Micrometer();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Service getService() {
        return service;
    }

    public Tracing getTracing() {
        return tracing;
    }

    public Otlp getOtlp() {
        return otlp;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Logs getLogs() {
        return logs;
    }

    public Http getHttp() {
        return http;
    }

    public Grpc getGrpc() {
        return grpc;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Redis getRedis() {
        return redis;
    }

    public Kafka getKafka() {
        return kafka;
    }

    public Slo getSlo() {
        return slo;
    }

    public Micrometer getMicrometer() {
        return micrometer;
    }

    /** {@code marty.service.*}: the service resource and the {@code service} label. */
    public static class Service {
        /** service.name and the service label (else OTEL_SERVICE_NAME / MMF_SERVICE_NAME, else spring.application.name). */
        private @Nullable String name;
        /** service.version (else MMF_SERVICE_VERSION). */
        private @Nullable String version;
        /** deployment.environment.name; also picks the default sampling ratio (else MMF_ENVIRONMENT, else development). */
        private @Nullable String environment;
        /** service.instance.id (else a random UUID). */
        private @Nullable String instanceId;
        /** Extra resource attributes, added to OTEL_RESOURCE_ATTRIBUTES. */
        private Map<String, String> resourceAttributes = new LinkedHashMap<>();

        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
        }

        public @Nullable String getVersion() {
            return version;
        }

        public void setVersion(@Nullable String version) {
            this.version = version;
        }

        public @Nullable String getEnvironment() {
            return environment;
        }

        public void setEnvironment(@Nullable String environment) {
            this.environment = environment;
        }

        public @Nullable String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(@Nullable String instanceId) {
            this.instanceId = instanceId;
        }

        public Map<String, String> getResourceAttributes() {
            return resourceAttributes;
        }

        public void setResourceAttributes(Map<String, String> resourceAttributes) {
            this.resourceAttributes = resourceAttributes;
        }
    }

    /** {@code marty.tracing.*}. */
    public static class Tracing {
        /** Whether spans are recorded (else MMF_TRACING_ENABLED, default true). */
        private @Nullable Boolean enabled;
        /** Span exporter: otlp, logging or none (else OTEL_TRACES_EXPORTER, default otlp). */
        private @Nullable String exporter;
        /** Head sampling ratio in [0, 1] (else OTEL_TRACES_SAMPLER_ARG, default by environment: production 0.1, staging 0.5, else 1.0). */
        private @Nullable Double samplingRatio;
        /** Whether a sampled/unsampled parent decides (default true). */
        private @Nullable Boolean parentBased;
        /** Whether B3 headers are read and written besides W3C (default false). */
        private @Nullable Boolean b3;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getExporter() {
            return exporter;
        }

        public void setExporter(@Nullable String exporter) {
            this.exporter = exporter;
        }

        public @Nullable Double getSamplingRatio() {
            return samplingRatio;
        }

        public void setSamplingRatio(@Nullable Double samplingRatio) {
            this.samplingRatio = samplingRatio;
        }

        public @Nullable Boolean getParentBased() {
            return parentBased;
        }

        public void setParentBased(@Nullable Boolean parentBased) {
            this.parentBased = parentBased;
        }

        public @Nullable Boolean getB3() {
            return b3;
        }

        public void setB3(@Nullable Boolean b3) {
            this.b3 = b3;
        }
    }

    /** {@code marty.otlp.*}: where traces, logs and (optionally) metrics are pushed. */
    public static class Otlp {
        /** Base endpoint, e.g. http://otel-collector:4318 (else OTEL_EXPORTER_OTLP_ENDPOINT). */
        private @Nullable String endpoint;
        /** http/protobuf or grpc (else OTEL_EXPORTER_OTLP_PROTOCOL, default http/protobuf). */
        private @Nullable String protocol;
        /** Headers sent with every export, e.g. authorization (added to OTEL_EXPORTER_OTLP_HEADERS). */
        private Map<String, String> headers = new LinkedHashMap<>();
        /** Export timeout (else OTEL_EXPORTER_OTLP_TIMEOUT, default 10s). */
        private @Nullable Duration timeout;

        public @Nullable String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(@Nullable String endpoint) {
            this.endpoint = endpoint;
        }

        public @Nullable String getProtocol() {
            return protocol;
        }

        public void setProtocol(@Nullable String protocol) {
            this.protocol = protocol;
        }

        public Map<String, String> getHeaders() {
            return headers;
        }

        public void setHeaders(Map<String, String> headers) {
            this.headers = headers;
        }

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** {@code marty.metrics.*}. */
    public static class Metrics {
        /** Whether RED and custom metrics are recorded (default true). */
        private @Nullable Boolean enabled;
        /** Whether JVM runtime metrics are registered (default true). */
        private @Nullable Boolean jvm;
        /** Series limit per metric before the overflow series (default 2000). */
        private @Nullable Integer maxSeriesPerMetric;
        /** Whether metrics are also pushed over OTLP (default false). */
        private @Nullable Boolean otlpPush;
        /** OTLP push interval (default 60s). */
        private @Nullable Duration exportInterval;
        /** Port of Marty's own /metrics server; unset (-1) under Spring, where /actuator/prometheus serves. */
        private @Nullable Integer prometheusPort;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Boolean getJvm() {
            return jvm;
        }

        public void setJvm(@Nullable Boolean jvm) {
            this.jvm = jvm;
        }

        public @Nullable Integer getMaxSeriesPerMetric() {
            return maxSeriesPerMetric;
        }

        public void setMaxSeriesPerMetric(@Nullable Integer maxSeriesPerMetric) {
            this.maxSeriesPerMetric = maxSeriesPerMetric;
        }

        public @Nullable Boolean getOtlpPush() {
            return otlpPush;
        }

        public void setOtlpPush(@Nullable Boolean otlpPush) {
            this.otlpPush = otlpPush;
        }

        public @Nullable Duration getExportInterval() {
            return exportInterval;
        }

        public void setExportInterval(@Nullable Duration exportInterval) {
            this.exportInterval = exportInterval;
        }

        public @Nullable Integer getPrometheusPort() {
            return prometheusPort;
        }

        public void setPrometheusPort(@Nullable Integer prometheusPort) {
            this.prometheusPort = prometheusPort;
        }
    }

    /** {@code marty.logs.*}. */
    public static class Logs {
        /** Log record exporter: otlp, logging or none (else OTEL_LOGS_EXPORTER, default otlp). */
        private @Nullable String exporter;
        /** Whether the default logback-spring.xml (JSON lines on stdout) is used when the application has no Logback file of its own. */
        private boolean jsonConsole = true;

        public @Nullable String getExporter() {
            return exporter;
        }

        public void setExporter(@Nullable String exporter) {
            this.exporter = exporter;
        }

        public boolean isJsonConsole() {
            return jsonConsole;
        }

        public void setJsonConsole(boolean jsonConsole) {
            this.jsonConsole = jsonConsole;
        }
    }

    /** {@code marty.http.*}: server and client request instrumentation. */
    public static class Http {
        /** Who records HTTP request metrics and spans: marty (mmf_requests_total, Marty's spans; Spring's http.server.requests / http.client.requests observations are switched off) or micrometer (Marty leaves HTTP alone). */
        private Owner owner = Owner.MARTY;
        /** Paths not instrumented on the server side besides /health, /metrics, /ready, /live: exact, or everything below when it ends with /; default /actuator/. */
        private List<String> excludedPaths = new ArrayList<>(List.of("/actuator/"));
        /** Whether each request writes one mmf.access log event (default true). */
        private boolean accessLog = true;

        public Owner getOwner() {
            return owner;
        }

        public void setOwner(Owner owner) {
            this.owner = owner;
        }

        public List<String> getExcludedPaths() {
            return excludedPaths;
        }

        public void setExcludedPaths(List<String> excludedPaths) {
            this.excludedPaths = excludedPaths;
        }

        public boolean isAccessLog() {
            return accessLog;
        }

        public void setAccessLog(boolean accessLog) {
            this.accessLog = accessLog;
        }
    }

    /** Which side owns HTTP request metrics and spans. */
    public enum Owner {
        /** Marty's filters and client interceptors; Spring's HTTP observations are switched off. */
        MARTY,
        /** Spring's observations (Micrometer metrics, Micrometer Tracing); Marty adds no HTTP instrumentation. */
        MICROMETER
    }

    /** {@code marty.jdbc.*}: the jdbc module around the application's DataSource beans. */
    public static class Jdbc {
        /** Whether DataSource beans are wrapped in MartyDataSource when marty-observability-jdbc is present. */
        private boolean enabled = true;

        /** Statements taking at least this long are logged as slow queries. */
        private Duration slowQueryThreshold = Duration.ofMillis(500);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getSlowQueryThreshold() {
            return slowQueryThreshold;
        }

        public void setSlowQueryThreshold(Duration slowQueryThreshold) {
            this.slowQueryThreshold = slowQueryThreshold;
        }
    }

    /** {@code marty.redis.*}: the redis module on the application's Lettuce clients. */
    public static class Redis {
        /**
         * Whether Marty's command listener is added to Spring Data Redis' LettuceConnectionFactory and
         * Lettuce RedisClient beans when marty-observability-redis is present.
         */
        private boolean enabled = true;

        /** The cache label of mmf_cache_operations_total. */
        private String cache = "redis";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getCache() {
            return cache;
        }

        public void setCache(String cache) {
            this.cache = cache;
        }
    }

    /** {@code marty.kafka.*}: the kafka module on Spring Kafka's producer factories and listener containers. */
    public static class Kafka {
        /**
         * Whether Spring Kafka producers are traced and record listeners run with the producer's trace,
         * correlation and MDC when marty-observability-kafka is present.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code marty.grpc.*}. */
    public static class Grpc {
        /** Whether MartyGrpcServerInterceptor and MartyGrpcClientInterceptor beans are defined when grpc-java is present. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code marty.slo.*}. */
    public static class Slo {
        /** Whether SLO specs are loaded and tracked in-process. */
        private boolean enabled = true;
        /** Where the SLO specs are (Spring resource patterns). */
        private List<String> locations = new ArrayList<>(List.of("classpath*:slo/*.yaml", "classpath*:slo/*.yml"));

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getLocations() {
            return locations;
        }

        public void setLocations(List<String> locations) {
            this.locations = locations;
        }
    }

    /** {@code marty.micrometer.*}. */
    public static class Micrometer {
        /** Whether Marty's metrics are also published into the application's Micrometer MeterRegistry (default false); with Micrometer's Prometheus registry /actuator/prometheus then shows them through Micrometer instead of beside it. */
        private boolean bridge = false;

        public boolean isBridge() {
            return bridge;
        }

        public void setBridge(boolean bridge) {
            this.bridge = bridge;
        }
    }
}
