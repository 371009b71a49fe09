package io.marty.observability.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Turns raw request paths into low-cardinality route templates for the {@code route} metric label
 * and the {@code http.route} span attribute, for servers whose framework reports no route.
 *
 * <p>Order of rules: user patterns first ({@code /users/{user}/cart}, {@code {name}} matches one
 * segment, a trailing {@code **} matches the rest), then per segment: all digits, a UUID, or 16+
 * hex characters become {@code {id}}. At most {@code maxRoutes} distinct templates are handed out;
 * beyond that every new one collapses to the overflow route and is counted. No regex, no allocation
 * for a path without ids that is already known.
 *
 * <pre>{@code
 * RouteTemplater routes = RouteTemplater.builder()
 *     .addPattern("/users/{user}/cart")
 *     .maxRoutes(200)
 *     .build();
 * routes.template("/orders/123/items");   // "/orders/{id}/items"
 * }</pre>
 */
public final class RouteTemplater {

    /** Default limit of distinct templates: {@value}. */
    public static final int DEFAULT_MAX_ROUTES = 500;

    /** Default route for everything beyond the limit: {@value}. */
    public static final String DEFAULT_OVERFLOW_ROUTE = "/{other}";

    /** Placeholder for id-like segments. */
    public static final String ID = "{id}";

    private static final int MIN_HEX_ID_LENGTH = 16;

    private final List<String[]> patterns;
    private final List<String> patternTemplates;
    private final int maxRoutes;
    private final String overflowRoute;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final LongAdder overflowed = new LongAdder();

    private RouteTemplater(Builder builder) {
        this.patterns = List.copyOf(builder.patterns);
        this.patternTemplates = List.copyOf(builder.patternTemplates);
        this.maxRoutes = builder.maxRoutes;
        this.overflowRoute = builder.overflowRoute;
        known.addAll(patternTemplates);
        known.add(overflowRoute);
    }

    /** Returns a builder with the defaults (no patterns, {@value #DEFAULT_MAX_ROUTES} routes). */
    public static Builder builder() {
        return new Builder();
    }

    /** A templater with the defaults. */
    public static RouteTemplater create() {
        return builder().build();
    }

    /**
     * Returns the template for a raw path (without query string; anything after {@code '?'} or
     * {@code '#'} is ignored). Never throws; {@code null} or empty becomes {@code "/"}.
     */
    public String template(@Nullable String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String path = rawPath;
        int cut = indexOfQuery(path);
        if (cut >= 0) {
            path = cut == 0 ? "/" : path.substring(0, cut);
        }
        for (int i = 0; i < patterns.size(); i++) {
            if (matches(patterns.get(i), path)) {
                return patternTemplates.get(i);
            }
        }
        String template = replaceIds(path);
        return admit(template);
    }

    /** Registers a template the framework reported (e.g. a servlet mapping) under the same limit. */
    public String admit(String template) {
        if (known.contains(template)) {
            return template;
        }
        // the size check races benignly: at worst a few templates beyond the limit get in
        if (known.size() >= maxRoutes + patternTemplates.size() + 1) {
            overflowed.increment();
            return overflowRoute;
        }
        known.add(template);
        return template;
    }

    /** Number of paths that were mapped to the overflow route since creation. */
    public long overflowCount() {
        return overflowed.sum();
    }

    /** Number of distinct templates handed out so far (including patterns and the overflow route). */
    public int knownRoutes() {
        return known.size();
    }

    /** The route used beyond the limit. */
    public String overflowRoute() {
        return overflowRoute;
    }

    private static int indexOfQuery(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(String[] pattern, String path) {
        int pos = path.charAt(0) == '/' ? 1 : 0;
        int length = path.length();
        for (int i = 0; i < pattern.length; i++) {
            String part = pattern[i];
            if (part.equals("**")) {
                return true;
            }
            if (pos > length) {
                return false;
            }
            int slash = path.indexOf('/', pos);
            int end = slash < 0 ? length : slash;
            boolean variable = part.length() > 1 && part.charAt(0) == '{';
            if (variable) {
                if (end == pos) {
                    return false;
                }
            } else if (end - pos != part.length() || !path.regionMatches(pos, part, 0, part.length())) {
                return false;
            }
            pos = end + 1;
        }
        return pos > length; // every segment consumed (a trailing slash leaves an empty one)
    }

    private static String replaceIds(String path) {
        StringBuilder out = null;
        int length = path.length();
        int segStart = 0;
        while (segStart <= length) {
            int slash = path.indexOf('/', segStart);
            int segEnd = slash < 0 ? length : slash;
            if (segEnd > segStart && isId(path, segStart, segEnd)) {
                if (out == null) {
                    out = new StringBuilder(length).append(path, 0, segStart);
                }
                out.append(ID);
            } else if (out != null) {
                out.append(path, segStart, segEnd);
            }
            if (slash < 0) {
                break;
            }
            if (out != null) {
                out.append('/');
            }
            segStart = slash + 1;
        }
        return out == null ? path : out.toString();
    }

    /** Digits only, a UUID, or at least 16 hex characters containing a digit. */
    static boolean isId(String s, int from, int to) {
        int length = to - from;
        boolean allDigits = true;
        boolean allHex = true;
        boolean anyDigit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            anyDigit |= digit;
            allDigits &= digit;
            allHex &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
        if (allDigits) {
            return true;
        }
        if (allHex && anyDigit && length >= MIN_HEX_ID_LENGTH) {
            return true;
        }
        return length == 36 && isUuid(s, from);
    }

    private static boolean isUuid(String s, int from) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(from + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** Builder for {@link RouteTemplater}. */
    public static final class Builder {
        private final List<String[]> patterns = new ArrayList<>();
        private final List<String> patternTemplates = new ArrayList<>();
        private int maxRoutes = DEFAULT_MAX_ROUTES;
        private String overflowRoute = DEFAULT_OVERFLOW_ROUTE;

        private Builder() {}

        /**
         * Adds a route pattern such as {@code /users/{user}/orders/{order}} or {@code /static/**};
         * the pattern itself is the template. Patterns are tried in the order added.
         *
         * @throws IllegalArgumentException if the pattern does not start with {@code '/'} or has
         *     {@code **} before its last segment
         */
        public Builder addPattern(String pattern) {
            Objects.requireNonNull(pattern, "pattern");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("route pattern must start with '/': '" + pattern + "'");
            }
            String[] parts = pattern.substring(1).split("/", -1);
            for (int i = 0; i < parts.length - 1; i++) {
                if (parts[i].equals("**")) {
                    throw new IllegalArgumentException("'**' is only allowed as the last segment: '" + pattern + "'");
                }
            }
            patterns.add(parts);
            patternTemplates.add(pattern);
            return this;
        }

        /** Adds several patterns, see {@link #addPattern(String)}. */
        public Builder addPatterns(Iterable<String> patterns) {
            patterns.forEach(this::addPattern);
            return this;
        }

        /** Limit of distinct templates (besides patterns); must be at least 1. */
        public Builder maxRoutes(int maxRoutes) {
            if (maxRoutes < 1) {
                throw new IllegalArgumentException("maxRoutes must be >= 1, was " + maxRoutes);
            }
            this.maxRoutes = maxRoutes;
            return this;
        }

        /** Route reported for paths beyond the limit. */
        public Builder overflowRoute(String overflowRoute) {
            Objects.requireNonNull(overflowRoute, "overflowRoute");
            if (overflowRoute.isBlank()) {
                throw new IllegalArgumentException("overflowRoute must not be blank");
            }
            this.overflowRoute = overflowRoute;
            return this;
        }

        /** Builds the templater. */
        public RouteTemplater build() {
            return new RouteTemplater(this);
        }
    }
}
