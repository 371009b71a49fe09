package io.marty.observability.core.health;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A health check (SPI). Checks run on the {@link HealthRegistry}'s bounded executor with a timeout;
 * a check that throws is DOWN, one that does not finish in time is DOWN ("timed out").
 *
 * <pre>{@code
 * health.register(HealthCheck.ofStatus("database", () -> dataSource.isValid(1) ? HealthStatus.UP : HealthStatus.DOWN));
 * health.register(HealthCheck.of("broker", () -> broker.ping() ? HealthCheckResult.up() : HealthCheckResult.down("no pong")));
 * }</pre>
 */
public interface HealthCheck {

    /** Unique name of the check (e.g. {@code database}). */
    String name();

    /** Runs the check. May block up to {@link #timeout()}; may throw (counts as DOWN). */
    HealthCheckResult check() throws Exception;

    /** Timeout of this check, or null for the registry default. */
    default @Nullable Duration timeout() {
        return null;
    }

    /**
     * Whether a DOWN result makes the whole service DOWN (default true). A non-critical DOWN check
     * only makes the service DEGRADED.
     */
    default boolean critical() {
        return true;
    }

    /** A check from a status supplier. */
    static HealthCheck ofStatus(String name, Supplier<HealthStatus> status) {
        Objects.requireNonNull(status, "status");
        return of(name, () -> HealthCheckResult.of(status.get(), null));
    }

    /** A check from a result callable. */
    static HealthCheck of(String name, Callable<HealthCheckResult> check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResult check() throws Exception {
                return check.call();
            }

            @Override
            public String toString() {
                return "HealthCheck[" + name + "]";
            }
        };
    }
}
