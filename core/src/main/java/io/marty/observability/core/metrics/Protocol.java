package io.marty.observability.core.metrics;

/** Wire protocol of a request; the {@code protocol} label. */
public enum Protocol {
    /** HTTP (any version). */
    HTTP("http"),
    /** gRPC. */
    GRPC("grpc");

    private final String labelValue;

    Protocol(String labelValue) {
        this.labelValue = labelValue;
    }

    /** The Prometheus label value: {@code http} or {@code grpc}. */
    public String labelValue() {
        return labelValue;
    }
}
