package io.marty.observability.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that moves only when told to, for tests of anything that takes a {@link Clock}
 * ({@code SloTracker}, {@code LogAnalyzer}, ...). Thread-safe: {@link #advance} is atomic, readers on
 * other threads see every change.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
 * SloTracker tracker = SloTracker.builder().clock(clock).slos(slos).build();
 * clock.advance(Duration.ofMinutes(5));
 * clock.set(Instant.parse("2026-01-06T00:00:00Z"));
 * }</pre>
 */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;

    /** A clock standing at {@code start}. */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    /** Moves the clock by {@code step} (backwards when negative); returns the new time. */
    public Instant advance(Duration step) {
        Objects.requireNonNull(step, "step");
        return now.updateAndGet(t -> t.plus(step));
    }

    /** Sets the clock to {@code time}. */
    public void set(Instant time) {
        now.set(Objects.requireNonNull(time, "time"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Always UTC. */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A view in {@code zone} that keeps following this clock. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        InstantSource source = this::instant;
        return source.withZone(zone);
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + "]";
    }
}
