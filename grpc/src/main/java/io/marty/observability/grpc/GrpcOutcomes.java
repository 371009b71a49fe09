package io.marty.observability.grpc;

import io.grpc.Status;
import io.marty.observability.core.metrics.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Maps gRPC status codes to the RED {@code outcome} label. The codes OpenTelemetry's RPC semantic
 * conventions count as server errors ({@code UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL,
 * UNAVAILABLE, DATA_LOSS}) are {@code server_error}; every other non-OK code ({@code
 * INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, CANCELLED, ...}) is {@code client_error}.
 */
public final class GrpcOutcomes {

    private GrpcOutcomes() {}

    /** The outcome of a call that ended with {@code code}. */
    public static Outcome outcomeOf(Status.@Nullable Code code) {
        if (code == null) {
            return Outcome.SERVER_ERROR;
        }
        switch (code) {
            case OK:
                return Outcome.SUCCESS;
            case UNKNOWN:
            case DEADLINE_EXCEEDED:
            case UNIMPLEMENTED:
            case INTERNAL:
            case UNAVAILABLE:
            case DATA_LOSS:
                return Outcome.SERVER_ERROR;
            default:
                return Outcome.CLIENT_ERROR;
        }
    }

    /** Whether a server span ending with {@code code} gets error status (semconv server rules). */
    public static boolean isServerError(Status.Code code) {
        return outcomeOf(code) == Outcome.SERVER_ERROR;
    }
}
