package io.marty.observability.demo.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When each fault is active, as windows relative to the generator's start, optionally repeating
 * with a fixed cycle length.
 *
 * <pre>{@code
 * FaultSchedule s = FaultSchedule.builder()
 *     .window(Fault.ERROR_BURST, Duration.ofSeconds(20), Duration.ofSeconds(15))
 *     .cycle(Duration.ofMinutes(2))
 *     .build();
 * }</pre>
 */
public final class FaultSchedule {
    /** A fault active from {@code start} for {@code length}. */
    public record Window(Fault fault, Duration start, Duration length) {
        boolean contains(long millis) {
            return millis >= start.toMillis() && millis < start.toMillis() + length.toMillis();
        }
    }

    private final List<Window> windows;
    private final Duration cycle;

    private FaultSchedule(List<Window> windows, Duration cycle) {
        this.windows = List.copyOf(windows);
        this.cycle = cycle;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The demo's schedule: a two-minute cycle with 20 s of calm, an error burst, a latency spike, a
     * brute-force login burst and a revenue drop, so every panel lights up within the first cycle.
     */
    public static FaultSchedule demo() {
        return builder()
                .window(Fault.ERROR_BURST, Duration.ofSeconds(20), Duration.ofSeconds(20))
                .window(Fault.LATENCY_SPIKE, Duration.ofSeconds(45), Duration.ofSeconds(15))
                .window(Fault.BRUTE_FORCE, Duration.ofSeconds(65), Duration.ofSeconds(10))
                .window(Fault.REVENUE_DROP, Duration.ofSeconds(80), Duration.ofSeconds(30))
                .cycle(Duration.ofSeconds(120))
                .build();
    }

    /** No faults at all. */
    public static FaultSchedule none() {
        return builder().build();
    }

    /** Faults active {@code elapsed} after the start. */
    public Set<Fault> activeAt(Duration elapsed) {
        long ms = elapsed.toMillis();
        if (!cycle.isZero()) {
            ms %= cycle.toMillis();
        }
        Set<Fault> active = EnumSet.noneOf(Fault.class);
        for (Window w : windows) {
            if (w.contains(ms)) {
                active.add(w.fault());
            }
        }
        return active;
    }

    public List<Window> windows() {
        return windows;
    }

    /** Cycle length, zero when the schedule does not repeat. */
    public Duration cycle() {
        return cycle;
    }

    public static final class Builder {
        private final List<Window> windows = new ArrayList<>();
        private Duration cycle = Duration.ZERO;

        private Builder() {}

        public Builder window(Fault fault, Duration start, Duration length) {
            if (start.isNegative() || length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("fault window for " + fault
                        + " needs start >= 0 and length > 0, got start=" + start + " length=" + length);
            }
            windows.add(new Window(fault, start, length));
            return this;
        }

        /** Repeat the windows every {@code cycle}; every window must fit in it. */
        public Builder cycle(Duration cycle) {
            if (cycle.isNegative()) {
                throw new IllegalArgumentException("fault schedule cycle must be >= 0, got " + cycle);
            }
            this.cycle = cycle;
            return this;
        }

        public FaultSchedule build() {
            if (!cycle.isZero()) {
                for (Window w : windows) {
                    if (w.start().plus(w.length()).compareTo(cycle) > 0) {
                        throw new IllegalArgumentException(
                                "fault window " + w + " does not fit in the cycle of " + cycle);
                    }
                }
            }
            return new FaultSchedule(windows, cycle);
        }
    }
}
