package io.marty.observability.core.metrics;

/** Whether this process served the request or made it; the {@code direction} label. */
public enum Direction {
    /** Incoming request handled by this service. */
    SERVER("server"),
    /** Outgoing request made by this service. */
    CLIENT("client");

    private final String labelValue;

    Direction(String labelValue) {
        this.labelValue = labelValue;
    }

    /** The Prometheus label value: {@code server} or {@code client}. */
    public String labelValue() {
        return labelValue;
    }
}
