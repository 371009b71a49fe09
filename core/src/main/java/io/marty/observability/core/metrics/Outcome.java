package io.marty.observability.core.metrics;

/** Result class of a request; the {@code outcome} label. */
public enum Outcome {
    /** The request succeeded (HTTP 1xx-3xx, gRPC OK). */
    SUCCESS("success"),
    /** The caller's fault (HTTP 4xx, gRPC INVALID_ARGUMENT, NOT_FOUND, ...). */
    CLIENT_ERROR("client_error"),
    /** The server's fault (HTTP 5xx, gRPC INTERNAL, UNAVAILABLE, ...; also exceptions). */
    SERVER_ERROR("server_error");

    private final String labelValue;

    Outcome(String labelValue) {
        this.labelValue = labelValue;
    }

    /** The Prometheus label value: {@code success}, {@code client_error} or {@code server_error}. */
    public String labelValue() {
        return labelValue;
    }

    /** Outcome of an HTTP status code: below 400 success, 400-499 client error, else server error. */
    public static Outcome ofHttpStatus(int status) {
        if (status < 400) {
            return status < 100 ? SERVER_ERROR : SUCCESS;
        }
        return status < 500 ? CLIENT_ERROR : SERVER_ERROR;
    }
}
