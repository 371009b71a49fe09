package io.marty.observability.loganalysis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that only moves when told to: for tests of detection rules and for stream processors that
 * run the analyzer on stream time (set it to the current record's time). Thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
 * LogAnalyzer analyzer = LogAnalyzer.builder().clock(clock).useEventTime(false).build();
 * clock.advance(Duration.ofMinutes(5));
 * }</pre>
 */
public final class ManualClock extends Clock {
    private volatile long millis;

    public ManualClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    /** Moves the clock forward (or backward for a negative duration). */
    public void advance(Duration d) {
        millis += d.toMillis();
    }

    /** Sets the time. */
    public void set(long epochMillis) {
        millis = epochMillis;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
