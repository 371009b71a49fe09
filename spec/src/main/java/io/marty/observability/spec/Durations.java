package io.marty.observability.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The one duration grammar of every Marty spec file (SLO windows and alert tiers, log-analysis rule
 * windows and cooldowns, alert rules):
 *
 * <ul>
 *   <li>a number and a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 6h}, {@code 30d}, {@code 4w}
 *       ({@code d} is 24 hours, {@code w} 7 days); a decimal number is allowed ({@code 1.5h}, {@code 0.25s});
 *   <li>several of those added up: {@code 1h30m}, {@code 1d12h}, {@code 2m 30s};
 *   <li>ISO-8601: {@code PT5M}, {@code PT1H30M}, {@code P1D}, {@code P1DT12H}, {@code P1W} (any case);
 *   <li>{@code 0} on its own.
 * </ul>
 *
 * <p>Not accepted, each with an error naming the input: other units ({@code 5x}, {@code 5M}), a number
 * without unit ({@code 300}), negative values, months and years (no fixed length), precision below a
 * nanosecond.
 *
 * <pre>{@code
 * Durations.parse("1h30m");          // PT1H30M
 * Durations.parse("PT5M");           // PT5M
 * Durations.parsePositive("0s");     // IllegalArgumentException: '0s': must be positive
 * Durations.parse("5x");             // IllegalArgumentException:
 *                                    //   '5x': unknown unit 'x' (use ms, s, m, h, d, w or ISO-8601 like PT5M)
 * Durations.format(Duration.ofMinutes(90)); // "90m"
 * }</pre>
 */
public final class Durations {
    private static final String UNITS = "use ms, s, m, h, d, w or ISO-8601 like PT5M";
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Durations() {}

    /**
     * Parses a duration of zero or more.
     *
     * @throws IllegalArgumentException naming the input and what is wrong with it
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration (" + UNITS + ", e.g. 500ms, 5m, 1h30m, 7d)");
        }
        char first = s.charAt(0);
        if (first == '-') {
            throw bad(s, "must not be negative");
        }
        if (first == 'P' || first == 'p') {
            return iso(s);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        int n = s.length();
        while (i < n) {
            i = skipSpaces(s, i);
            int start = i;
            while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw bad(s, "unexpected '" + s.charAt(i) + "' (" + UNITS + ")");
            }
            String number = s.substring(start, i);
            i = skipSpaces(s, i);
            int unitStart = i;
            while (i < n && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw bad(
                        s, i < n ? "unexpected '" + s.charAt(i) + "' (" + UNITS + ")" : "missing unit (" + UNITS + ")");
            }
            long unitNanos = unitNanos(s, unit);
            BigDecimal value;
            try {
                value = new BigDecimal(number);
            } catch (NumberFormatException e) {
                throw bad(s, "'" + number + "' is not a number");
            }
            nanos = nanos.add(value.multiply(BigDecimal.valueOf(unitNanos)));
        }
        return ofNanos(s, nanos);
    }

    /**
     * Parses a duration above zero.
     *
     * @throws IllegalArgumentException naming the input when it is not a duration or is zero
     */
    public static Duration parsePositive(String text) {
        Duration d = parse(text);
        if (d.isZero()) {
            throw bad(text.trim(), "must be positive");
        }
        return d;
    }

    /**
     * Formats in the largest unit ({@code d}, {@code h}, {@code m}, {@code s}, {@code ms}) that divides the
     * duration exactly, so {@link #parse} reads it back: {@code 30d}, {@code 90m}, {@code 1500ms}, {@code 0s}.
     * Parts below a millisecond are dropped.
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        } else if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        } else if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        } else if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        } else if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static long unitNanos(String s, String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            case "w" -> 604_800_000_000_000L;
            default -> throw bad(s, "unknown unit '" + unit + "' (" + UNITS + ")");
        };
    }

    /** {@code PnW}, {@code PnD} and {@code PTnHnMn.nS} and their combinations; no months or years. */
    private static Duration iso(String s) {
        String upper = s.toUpperCase(Locale.ROOT);
        int t = upper.indexOf('T');
        String datePart = upper.substring(1, t < 0 ? upper.length() : t);
        if (datePart.contains("Y") || datePart.contains("M")) {
            throw bad(s, "months and years have no fixed length (use days or weeks, e.g. P30D or P4W)");
        }
        try {
            Duration d = Duration.ZERO;
            if (!datePart.isEmpty() || t < 0) {
                Period p = Period.parse("P" + datePart);
                d = Duration.ofDays(p.getDays());
            }
            if (t >= 0) {
                d = d.plus(Duration.parse("PT" + upper.substring(t + 1)));
            }
            if (d.isNegative()) {
                throw bad(s, "must not be negative");
            }
            return d;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw bad(s, "not an ISO-8601 duration (e.g. PT5M, PT1H30M, P1D, P1W)");
        }
    }

    private static Duration ofNanos(String s, BigDecimal nanos) {
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw bad(s, "too large (at most 292 years)");
        }
        BigInteger whole;
        try {
            whole = nanos.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw bad(s, "finer than a nanosecond");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static IllegalArgumentException bad(String text, String what) {
        return new IllegalArgumentException("'" + text + "': " + what);
    }
}
