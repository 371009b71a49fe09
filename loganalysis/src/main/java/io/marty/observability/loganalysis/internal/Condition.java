package io.marty.observability.loganalysis.internal;

import io.marty.observability.loganalysis.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Unstable internal API. One {@code match:} entry of a rule: a path of the event and either a set of
 * accepted values (case-insensitive) or a numeric comparison ({@code ">= 5000"}, {@code "500..599"}).
 * A path may list alternatives, {@code fields.http_status|fields.status}: the first one present counts.
 * Parsed once at load time; matching does no regex and no allocation beyond the value lookup.
 */
public final class Condition {
    private final String path;
    private final String[] alternatives;
    private final Set<String> values;
    private final double low;
    private final double high;
    private final boolean lowInclusive;
    private final boolean highInclusive;

    private Condition(String path, Set<String> values, double low, boolean lowInc, double high, boolean highInc) {
        this.path = path;
        this.alternatives = path.split("\\|");
        this.values = values;
        this.low = low;
        this.high = high;
        this.lowInclusive = lowInc;
        this.highInclusive = highInc;
    }

    public String path() {
        return path;
    }

    /**
     * Parses one condition: a list of values, a value, or a comparison string.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code spec} (the caller adds where)
     */
    public static Condition parse(String path, Object spec) {
        if (spec instanceof List) {
            List<String> vals = new ArrayList<>();
            for (Object o : (List<?>) spec) {
                vals.add(String.valueOf(o).toLowerCase(Locale.ROOT));
            }
            if (vals.isEmpty()) {
                throw new IllegalArgumentException("must not be an empty list");
            }
            return new Condition(path, Set.copyOf(vals), 0, false, 0, false);
        }
        if (!(spec instanceof String)) {
            throw new IllegalArgumentException(
                    "must be a value, a list or a comparison like '>= 5000' or '500..599', got " + spec);
        }
        String s = ((String) spec).trim();
        try {
            int dots = s.indexOf("..");
            if (dots > 0) {
                double lo = Double.parseDouble(s.substring(0, dots).trim());
                double hi = Double.parseDouble(s.substring(dots + 2).trim());
                return new Condition(path, null, lo, true, hi, true);
            }
            if (s.startsWith(">=")) {
                return new Condition(path, null, num(s, 2), true, Double.POSITIVE_INFINITY, true);
            } else if (s.startsWith(">")) {
                return new Condition(path, null, num(s, 1), false, Double.POSITIVE_INFINITY, true);
            } else if (s.startsWith("<=")) {
                return new Condition(path, null, Double.NEGATIVE_INFINITY, true, num(s, 2), true);
            } else if (s.startsWith("<")) {
                return new Condition(path, null, Double.NEGATIVE_INFINITY, true, num(s, 1), false);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in '" + s + "'");
        }
        return new Condition(path, Set.of(s.toLowerCase(Locale.ROOT)), 0, false, 0, false);
    }

    private static double num(String s, int from) {
        return Double.parseDouble(s.substring(from).trim());
    }

    public boolean test(LogEvent e) {
        Object v = null;
        String found = null;
        for (String p : alternatives) {
            v = e.value(p);
            if (v != null) {
                found = p;
                break;
            }
        }
        if (v == null) {
            return false;
        }
        if (values != null) {
            return values.contains(v.toString().toLowerCase(Locale.ROOT));
        }
        double d = v instanceof Number ? ((Number) v).doubleValue() : e.number(found);
        if (Double.isNaN(d)) {
            return false;
        }
        boolean aboveLow = lowInclusive ? d >= low : d > low;
        boolean belowHigh = highInclusive ? d <= high : d < high;
        return aboveLow && belowHigh;
    }

    @Override
    public String toString() {
        if (values != null) {
            return path + " in " + values.stream().sorted().collect(Collectors.toList());
        }
        if (high == Double.POSITIVE_INFINITY) {
            return path + (lowInclusive ? " >= " : " > ") + fmt(low);
        }
        if (low == Double.NEGATIVE_INFINITY) {
            return path + (highInclusive ? " <= " : " < ") + fmt(high);
        }
        return path + " in " + fmt(low) + ".." + fmt(high);
    }

    public static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format("%.2f", d);
    }
}
