package io.marty.observability.slo;

import java.util.Locale;

/** How important an SLO is; copied to alerts as the {@code priority} label for routing. */
public enum SloPriority {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW;

    /** Lower-case label value. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code critical|high|medium|low} (case-insensitive). */
    public static SloPriority parse(String value) {
        for (SloPriority p : values()) {
            if (p.name().equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown priority '" + value + "' (expected one of critical, high, medium, low)");
    }
}
