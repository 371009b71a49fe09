package io.marty.observability.slo;

import io.marty.observability.spec.Durations;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The compliance period of an SLO: a rolling window ({@code 30d}, {@code 28d}, {@code 7d}) or a calendar
 * period (this month, this week) in a time zone.
 *
 * <pre>{@code
 * SloWindow.rolling(Duration.ofDays(30));
 * SloWindow.parse("7d");
 * SloWindow.calendarMonth(ZoneId.of("UTC"));
 * }</pre>
 */
public final class SloWindow {
    /** Calendar period kinds. */
    public enum Calendar {
        WEEK,
        MONTH
    }

    private static final Duration MIN = Duration.ofHours(1);
    private static final Duration MAX = Duration.ofDays(35);

    private final Duration length;
    private final Calendar calendar;
    private final ZoneId zone;

    private SloWindow(Duration length, Calendar calendar, ZoneId zone) {
        this.length = length;
        this.calendar = calendar;
        this.zone = zone;
    }

    /** A rolling window of whole minutes between 1h and 35d. */
    public static SloWindow rolling(Duration length) {
        Objects.requireNonNull(length, "length");
        if (length.compareTo(MIN) < 0 || length.compareTo(MAX) > 0 || length.getSeconds() % 60 != 0) {
            throw new IllegalArgumentException("window " + PrometheusDurations.format(length)
                    + " out of range (whole minutes between 1h and 35d, e.g. 7d, 28d, 30d)");
        }
        return new SloWindow(length, null, null);
    }

    /** The calendar month containing "now" in {@code zone}; nominal length 30d for alert maths. */
    public static SloWindow calendarMonth(ZoneId zone) {
        return new SloWindow(Duration.ofDays(30), Calendar.MONTH, Objects.requireNonNull(zone, "zone"));
    }

    /** The ISO week (Monday start) containing "now" in {@code zone}; length 7d. */
    public static SloWindow calendarWeek(ZoneId zone) {
        return new SloWindow(Duration.ofDays(7), Calendar.WEEK, Objects.requireNonNull(zone, "zone"));
    }

    /**
     * Parses a rolling window in the spec duration grammar ({@code 30d}, {@code 4w}, {@code 12h}, {@code P30D};
     * see {@link Durations}), or {@code 1M}, {@code month},
     * {@code calendar month}, {@code calendar week} (calendar, UTC).
     */
    public static SloWindow parse(String text) {
        String t = text == null ? "" : text.trim();
        switch (t) {
            case "1M", "month", "calendar month", "calendar-month", "monthly" -> {
                return calendarMonth(ZoneId.of("UTC"));
            }
            case "calendar week", "calendar-week", "weekly" -> {
                return calendarWeek(ZoneId.of("UTC"));
            }
            default -> {
                return rolling(Durations.parsePositive(t));
            }
        }
    }

    /** Rolling length, or the nominal length of the calendar period (30d month, 7d week). */
    public Duration length() {
        return length;
    }

    public boolean isCalendar() {
        return calendar != null;
    }

    /** The calendar kind, or null for a rolling window. */
    public @Nullable Calendar calendar() {
        return calendar;
    }

    /** Time zone of a calendar window, or null. */
    public @Nullable ZoneId zone() {
        return zone;
    }

    /** Start of the period that contains {@code now}: {@code now - length} when rolling. */
    public Instant periodStart(Instant now) {
        if (calendar == null) {
            return now.minus(length);
        }
        ZonedDateTime z = now.atZone(zone).truncatedTo(ChronoUnit.DAYS);
        z = calendar == Calendar.MONTH
                ? z.withDayOfMonth(1)
                : z.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return z.toInstant();
    }

    /** End of the calendar period containing {@code now}, or {@code now} for a rolling window. */
    public Instant periodEnd(Instant now) {
        if (calendar == null) {
            return now;
        }
        ZonedDateTime start = periodStart(now).atZone(zone);
        return (calendar == Calendar.MONTH ? start.plusMonths(1) : start.plusWeeks(1)).toInstant();
    }

    /** Spec form: {@code 30d}, {@code calendar month}. */
    public String id() {
        if (calendar == null) {
            return PrometheusDurations.format(length);
        }
        return calendar == Calendar.MONTH ? "calendar month" : "calendar week";
    }

    /** Length in days, e.g. 30 or 7 (fractional for odd windows). */
    public double days() {
        return length.getSeconds() / 86_400.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SloWindow w
                && w.length.equals(length)
                && w.calendar == calendar
                && Objects.equals(w.zone, zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(length, calendar, zone);
    }

    @Override
    public String toString() {
        return id();
    }
}
