package io.marty.observability.slo.internal;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Parsing of whole-minute durations ({@code 5m}, {@code 6h}, {@code 30d}) and decimal helpers; formatting
 * is the public {@link io.marty.observability.slo.PrometheusDurations}.
 */
public final class Durations {
    private Durations() {}

    /**
     * Parses {@code <n>s|m|h|d|w}, also combined like {@code 1h30m}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration (use e.g. 30d, 7d, 6h, 5m)");
        }
        long seconds = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i || i == s.length()) {
                throw bad(text);
            }
            long n;
            try {
                n = Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw bad(text);
            }
            long unit = switch (s.charAt(i)) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86_400;
                case 'w' -> 7 * 86_400;
                default -> throw bad(text);
            };
            i++;
            seconds = Math.addExact(seconds, Math.multiplyExact(n, unit));
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException("duration '" + text + "' must be positive");
        }
        return Duration.ofSeconds(seconds);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException(
                "invalid duration '" + text + "' (use a number and a unit s, m, h, d or w, e.g. 30d, 7d, 6h, 5m)");
    }

    /** Shortest plain decimal of a double ({@code 0.999}, {@code 14.4}, {@code 30}), stable across runs. */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** Exact decimal arithmetic on the shortest decimal forms, so {@code 1 - 0.999} is {@code 0.001}. */
    public static BigDecimal dec(double v) {
        return new BigDecimal(Double.toString(v));
    }
}
