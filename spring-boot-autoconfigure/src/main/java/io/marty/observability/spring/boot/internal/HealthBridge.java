package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.health.HealthCheck;
import io.marty.observability.core.health.HealthCheckResult;
import io.marty.observability.core.health.HealthRegistry;
import io.marty.observability.core.health.HealthReport;
import io.marty.observability.core.health.HealthStatus;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** Marty's health checks and Actuator's health contributors, each visible to the other. */
public final class HealthBridge {

    /** Name of Marty's contributor in Actuator (add it to a health group: {@code include=marty}). */
    public static final String CONTRIBUTOR = "marty";

    /** Prefix of the Marty checks that mirror an Actuator contributor. */
    public static final String SPRING_PREFIX = "spring.";

    private HealthBridge() {}

    /** Actuator's view of Marty's registry: every check as a detail, the worst status on top. */
    public static HealthIndicator indicator(HealthRegistry registry) {
        return () -> {
            HealthReport report = registry.check();
            Health.Builder builder = new Health.Builder(statusOf(report.status()));
            for (Map.Entry<String, HealthCheckResult> e : report.results().entrySet()) {
                if (e.getKey().startsWith(SPRING_PREFIX)) {
                    continue; // Actuator shows its own contributors already
                }
                HealthCheckResult r = e.getValue();
                builder.withDetail(
                        e.getKey(), r.message() == null ? r.status().name() : r.status() + ": " + r.message());
            }
            return builder.build();
        };
    }

    /**
     * Registers a Marty check {@code spring.<name>} for each top-level Actuator health indicator
     * (Marty's own left out), and {@code liveness}/{@code readiness} from Spring's availability state.
     */
    public static void registerSpringChecks(
            HealthRegistry registry, HealthContributors contributors, @Nullable ApplicationAvailability availability) {
        for (HealthContributors.Entry entry : contributors) {
            if (CONTRIBUTOR.equals(entry.name()) || !(entry.contributor() instanceof HealthIndicator indicator)) {
                continue;
            }
            String name = SPRING_PREFIX + entry.name();
            if (!registry.names().contains(name)) {
                registry.register(HealthCheck.of(name, () -> resultOf(indicator.health(false))));
            }
        }
        if (availability == null) {
            return;
        }
        if (!registry.names().contains("liveness")) {
            registry.register(HealthCheck.ofStatus(
                    "liveness",
                    () -> availability.getLivenessState() == LivenessState.CORRECT
                            ? HealthStatus.UP
                            : HealthStatus.DOWN));
        }
        if (!registry.names().contains("readiness")) {
            registry.register(HealthCheck.ofStatus(
                    "readiness",
                    () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC
                            ? HealthStatus.UP
                            : HealthStatus.DOWN));
        }
    }

    static Status statusOf(HealthStatus status) {
        return switch (status) {
            case UP, DEGRADED -> Status.UP;
            case DOWN -> Status.DOWN;
            case UNKNOWN -> Status.UNKNOWN;
        };
    }

    static HealthCheckResult resultOf(Health health) {
        String code = health.getStatus().getCode();
        if (Status.UP.getCode().equals(code)) {
            return HealthCheckResult.up();
        }
        if (Status.DOWN.getCode().equals(code)
                || Status.OUT_OF_SERVICE.getCode().equals(code)) {
            return HealthCheckResult.down(code);
        }
        return HealthCheckResult.unknown(code);
    }
}
