package io.marty.observability.core.metrics;

/**
 * Names of the metrics and labels core exposes, as they appear in the Prometheus exposition. Rules,
 * dashboards and docs must reference these (a test checks that every name here is really emitted).
 */
public final class MetricNames {
    /** Prefix of every Marty metric. */
    public static final String PREFIX = "mmf_";

    /** Counter of completed requests. Labels: service, protocol, direction, method, route, status, outcome. */
    public static final String REQUESTS_TOTAL = "mmf_requests_total";
    /** Histogram of request durations. Labels: service, protocol, direction, method, route, outcome. */
    public static final String REQUEST_DURATION_SECONDS = "mmf_request_duration_seconds";
    /** Gauge of in-flight requests. Labels: service, protocol, direction. */
    public static final String ACTIVE_REQUESTS = "mmf_active_requests";
    /** Counter of failed requests. Labels: service, protocol, direction, method, route, error_type. */
    public static final String ERRORS_TOTAL = "mmf_errors_total";
    /** Info metric (value 1). Labels: service, version, environment. */
    public static final String SERVICE_BUILD_INFO = "mmf_service_build_info";
    /** Gauge: share of completed requests that carried a correlation id (0..1). Label: service. */
    public static final String CORRELATION_COVERAGE_RATIO = "mmf_correlation_coverage_ratio";
    /** Counter of incoming correlation header values rejected by validation. Label: service. */
    public static final String CORRELATION_INVALID_HEADERS_TOTAL = "mmf_correlation_invalid_headers_total";
    /** Counter of data points redirected to the overflow series. Labels: service, metric. */
    public static final String METRIC_SERIES_OVERFLOW_TOTAL = "mmf_metric_series_overflow_total";
    /** Counter of spans accepted by the OTLP endpoint. Label: service. */
    public static final String SPANS_EXPORTED_TOTAL = "mmf_spans_exported_total";
    /** Counter of spans lost before or during export. Labels: service, reason ({@code queue_full}, {@code export_failed}). */
    public static final String SPANS_DROPPED_TOTAL = "mmf_spans_dropped_total";
    /** Counter of log records (OTel logs bridge) accepted by the OTLP endpoint. Label: service. */
    public static final String LOG_RECORDS_EXPORTED_TOTAL = "mmf_log_records_exported_total";
    /** Counter of log records (OTel logs bridge) lost before or during export. Labels: service, reason. */
    public static final String LOG_RECORDS_DROPPED_TOTAL = "mmf_log_records_dropped_total";
    /**
     * Counter of failures of the instrumentation itself (the request went on uninstrumented), see
     * {@code InstrumentationErrors}. Labels: service, component.
     */
    public static final String INSTRUMENTATION_ERRORS_TOTAL = "mmf_instrumentation_errors_total";

    /** Label: service name (on every metric). */
    public static final String LABEL_SERVICE = "service";
    /** Label: {@code http} or {@code grpc}. */
    public static final String LABEL_PROTOCOL = "protocol";
    /** Label: {@code server} or {@code client}. */
    public static final String LABEL_DIRECTION = "direction";
    /** Label: HTTP method or gRPC full method name. */
    public static final String LABEL_METHOD = "method";
    /** Label: route template such as {@code /orders/{id}} (never a raw path). */
    public static final String LABEL_ROUTE = "route";
    /** Label: HTTP status code or gRPC status name. */
    public static final String LABEL_STATUS = "status";
    /** Label: {@code success}, {@code client_error} or {@code server_error}. */
    public static final String LABEL_OUTCOME = "outcome";
    /** Label: error class (exception simple name, gRPC status, or the outcome). */
    public static final String LABEL_ERROR_TYPE = "error_type";
    /** Label: the integration whose instrumentation failed ({@code http_server}, {@code request_listener}, ...). */
    public static final String LABEL_COMPONENT = "component";
    /** Label: metric name (on the overflow counter). */
    public static final String LABEL_METRIC = "metric";
    /** Label value that replaces every label of a data point beyond the series cap. */
    public static final String OVERFLOW_VALUE = "other";

    private MetricNames() {}
}
