package io.marty.observability.core.health;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Result of one health check: status, optional message and details, and how long it took. */
public final class HealthCheckResult {
    private final HealthStatus status;
    private final String message;
    private final Map<String, String> details;
    private final Duration duration;

    private HealthCheckResult(HealthStatus status, String message, Map<String, String> details, Duration duration) {
        this.status = Objects.requireNonNull(status, "status");
        this.message = message;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        this.duration = duration;
    }

    /** A result with this status and message (may be null). */
    public static HealthCheckResult of(HealthStatus status, @Nullable String message) {
        return new HealthCheckResult(status, message, Map.of(), Duration.ZERO);
    }

    /** A result with this status, message and details. */
    public static HealthCheckResult of(HealthStatus status, @Nullable String message, Map<String, String> details) {
        return new HealthCheckResult(status, message, details, Duration.ZERO);
    }

    /** UP without message. */
    public static HealthCheckResult up() {
        return of(HealthStatus.UP, null);
    }

    /** DEGRADED with a message. */
    public static HealthCheckResult degraded(@Nullable String message) {
        return of(HealthStatus.DEGRADED, message);
    }

    /** DOWN with a message. */
    public static HealthCheckResult down(@Nullable String message) {
        return of(HealthStatus.DOWN, message);
    }

    /** UNKNOWN with a message. */
    public static HealthCheckResult unknown(@Nullable String message) {
        return of(HealthStatus.UNKNOWN, message);
    }

    /** This result with the measured duration. */
    public HealthCheckResult withDuration(Duration duration) {
        return new HealthCheckResult(status, message, details, duration);
    }

    /** Status. */
    public HealthStatus status() {
        return status;
    }

    /** Message, or null. */
    public @Nullable String message() {
        return message;
    }

    /** Details (never null). */
    public Map<String, String> details() {
        return details;
    }

    /** How long the check ran (for a timeout: the timeout). */
    public Duration duration() {
        return duration;
    }

    @Override
    public String toString() {
        return status + (message == null ? "" : " (" + message + ")") + " in " + duration.toMillis() + "ms";
    }
}
