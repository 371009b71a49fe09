package io.marty.observability.core.config;

/** A telemetry signal exported over OTLP; names the per-signal {@code OTEL_EXPORTER_OTLP_<SIGNAL>_*} variables. */
public enum Signal {
    /** Spans: {@code OTEL_EXPORTER_OTLP_TRACES_*}, path {@code /v1/traces}. */
    TRACES("TRACES", "Traces", "v1/traces"),
    /** Metrics: {@code OTEL_EXPORTER_OTLP_METRICS_*}, path {@code /v1/metrics}. */
    METRICS("METRICS", "Metrics", "v1/metrics"),
    /** Log records: {@code OTEL_EXPORTER_OTLP_LOGS_*}, path {@code /v1/logs}. */
    LOGS("LOGS", "Logs", "v1/logs");

    private final String variablePart;
    private final String propertyPart;
    private final String httpPath;

    Signal(String variablePart, String propertyPart, String httpPath) {
        this.variablePart = variablePart;
        this.propertyPart = propertyPart;
        this.httpPath = httpPath;
    }

    /** The path appended to a generic OTLP/HTTP endpoint, without leading slash (e.g. {@code v1/traces}). */
    public String httpPath() {
        return httpPath;
    }

    /** {@code OTEL_EXPORTER_OTLP_<SIGNAL>_<option>}. */
    String variable(String option) {
        return "OTEL_EXPORTER_OTLP_" + variablePart + "_" + option;
    }

    /** Builder property name, e.g. {@code otlpTracesEndpoint}. */
    String property(String option) {
        return "otlp" + propertyPart + option;
    }
}
