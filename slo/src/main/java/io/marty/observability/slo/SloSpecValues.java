package io.marty.observability.slo;

import io.marty.observability.slo.internal.Decimals;
import io.marty.observability.spec.Durations;
import io.marty.observability.spec.SpecException;
import io.marty.observability.spec.SpecNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Values and error placement shared by the native and the OpenSLO parsers. */
final class SloSpecValues {
    private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    private SloSpecValues() {}

    /**
     * Runs model-building code, placing a {@link SloSpecException} it throws at the YAML node its field came
     * from: {@code place} turns the builder's field ({@code objective}, {@code factor}) and the reason into
     * an error at that node, or returns null to report it at {@code at}.
     */
    static <T> T located(SpecNode at, BiFunction<String, String, SpecException> place, Supplier<T> body) {
        try {
            return body.get();
        } catch (SloSpecException e) {
            if (e.source() != null) {
                throw e;
            }
            SpecException placed = e.field() == null ? null : place.apply(e.field(), e.reason());
            SpecException out = placed != null ? placed : at.error(e.reason());
            throw new SpecException(out.source(), out.line(), out.column(), out.path(), e.reason(), e);
        } catch (SpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw at.error(e.getMessage(), e);
        }
    }

    static SliType sliType(SpecNode n) {
        return n.as(SliType::parse);
    }

    /** {@code 99.9%} or a bare number: below 1 a ratio ({@code 0.999}), else percent ({@code 99.9}). */
    static double percent(SpecNode n) {
        String s = n.asString().trim();
        try {
            if (s.endsWith("%")) {
                return Double.parseDouble(s.substring(0, s.length() - 1).trim());
            }
            double d = Double.parseDouble(s);
            return d < 1 ? Decimals.dec(d).movePointRight(2).doubleValue() : d;
        } catch (NumberFormatException e) {
            throw n.error("'" + s + "' is not a number or percentage");
        }
    }

    /** A latency threshold in seconds: a bare number of seconds or a duration ({@code 250ms}, {@code 0.5s}). */
    static double latencySeconds(String text) {
        String s = text.trim();
        if (PLAIN_NUMBER.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        return BigDecimal.valueOf(Durations.parse(s).toNanos()).movePointLeft(9).doubleValue();
    }

    /** The short window of a burn-rate tier when the spec gives none: 1/12 of the long one, at least 1m. */
    static Duration defaultShortWindow(Duration longWindow) {
        return Duration.ofMinutes(Math.max(1, Math.round(longWindow.toMinutes() / 12.0)));
    }
}
