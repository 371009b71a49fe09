package io.marty.observability.core.health;

/** Health of one check or of the whole service. Ordered from best to worst except UNKNOWN. */
public enum HealthStatus {
    /** Working normally. */
    UP,
    /** Working with reduced capability (still serves traffic). */
    DEGRADED,
    /** Not working. */
    DOWN,
    /** Could not be determined (e.g. the check is still running from a previous call). */
    UNKNOWN;

    /** Whether the service should receive traffic with this status (UP or DEGRADED). */
    public boolean isAvailable() {
        return this == UP || this == DEGRADED;
    }

    /** HTTP status for a health endpoint: 200 when {@link #isAvailable()}, else 503. */
    public int httpStatus() {
        return isAvailable() ? 200 : 503;
    }

    /** The worse of two statuses: DOWN &gt; UNKNOWN &gt; DEGRADED &gt; UP. */
    public HealthStatus worst(HealthStatus other) {
        return severity(other) > severity(this) ? other : this;
    }

    private static int severity(HealthStatus s) {
        switch (s) {
            case UP:
                return 0;
            case DEGRADED:
                return 1;
            case UNKNOWN:
                return 2;
            default:
                return 3;
        }
    }
}
