package io.marty.observability.business.internal;

import java.time.Duration;

/** Builder argument checks; the errors name the setting and the bad value. */
public final class Checks {
    private Checks() {}

    /** {@code d} when it is positive, else throws naming {@code key}. */
    public static Duration positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
        return d;
    }

    /** {@code d} when it is at least one millisecond (bucket widths), else throws naming {@code key}. */
    public static Duration atLeastOneMilli(String key, Duration d) {
        if (d == null || d.toMillis() < 1) {
            throw new IllegalArgumentException(key + " must be at least 1ms, got " + d);
        }
        return d;
    }
}
