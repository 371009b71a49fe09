package io.marty.observability.http;

import io.marty.observability.core.MartyObservability;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Settings shared by the HTTP server integrations ({@link MartyServletFilter}, {@link
 * MartyHttpServerFilter}): which {@link MartyObservability} to report to, how raw paths become
 * route templates, which paths are excluded from spans, metrics and access logs, and whether the
 * access log is written.
 *
 * <pre>{@code
 * HttpServerTelemetry telemetry = HttpServerTelemetry.builder(observability)
 *     .routeTemplater(RouteTemplater.builder().addPattern("/users/{user}").build())
 *     .addExcludedPath("/internal/")
 *     .build();
 * context.addFilter(new FilterHolder(MartyServletFilter.create(telemetry)), "/*", null);
 * }</pre>
 */
public final class HttpServerTelemetry {

    /**
     * Paths excluded by default (exact match, or prefix when the entry ends with {@code '/'}):
     * health, metrics and readiness/liveness endpoints.
     */
    public static final List<String> DEFAULT_EXCLUDED_PATHS =
            List.of("/health", "/health/", "/metrics", "/ready", "/readiness", "/live", "/liveness", "/favicon.ico");

    private final MartyObservability observability;
    private final RouteTemplater routeTemplater;
    // one hash lookup per request; the path's hash is cached in the String and reused by the route templater
    private final Set<String> exactExclusions;
    private final String[] prefixExclusions;
    private final boolean accessLog;

    private HttpServerTelemetry(Builder builder) {
        this.observability = builder.observability;
        this.routeTemplater = builder.routeTemplater != null ? builder.routeTemplater : RouteTemplater.create();
        List<String> exact = new ArrayList<>();
        List<String> prefix = new ArrayList<>();
        for (String path : builder.excluded) {
            (path.endsWith("/") && path.length() > 1 ? prefix : exact).add(path);
        }
        this.exactExclusions = Set.copyOf(exact);
        this.prefixExclusions = prefix.toArray(new String[0]);
        this.accessLog = builder.accessLog;
    }

    /** A builder reporting to {@code observability}. */
    public static Builder builder(MartyObservability observability) {
        return new Builder(Objects.requireNonNull(observability, "observability"));
    }

    /** Default settings reporting to {@code observability}. */
    public static HttpServerTelemetry create(MartyObservability observability) {
        return builder(observability).build();
    }

    /** The instance reported to. */
    public MartyObservability observability() {
        return observability;
    }

    /** The route templater used when the framework gives no route. */
    public RouteTemplater routeTemplater() {
        return routeTemplater;
    }

    /** Whether one {@code mmf.access} event is logged per request. */
    public boolean accessLogEnabled() {
        return accessLog;
    }

    /** Whether {@code path} is excluded from spans, metrics and access logs. */
    public boolean isExcluded(@Nullable String path) {
        if (path == null) {
            return false;
        }
        if (exactExclusions.contains(path)) {
            return true;
        }
        for (String prefix : prefixExclusions) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Builder of {@link HttpServerTelemetry}. */
    public static final class Builder {
        private final MartyObservability observability;
        private final List<String> excluded = new ArrayList<>(DEFAULT_EXCLUDED_PATHS);
        private RouteTemplater routeTemplater;
        private boolean accessLog = true;

        private Builder(MartyObservability observability) {
            this.observability = observability;
        }

        /** Route templater (default {@link RouteTemplater#create()}). */
        public Builder routeTemplater(RouteTemplater routeTemplater) {
            this.routeTemplater = Objects.requireNonNull(routeTemplater, "routeTemplater");
            return this;
        }

        /**
         * Excludes a path: exact match, or every path below it when it ends with {@code '/'}.
         *
         * @throws IllegalArgumentException if the path does not start with {@code '/'}
         */
        public Builder addExcludedPath(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("excluded path must start with '/': '" + path + "'");
            }
            excluded.add(path);
            return this;
        }

        /** Removes the {@link #DEFAULT_EXCLUDED_PATHS} (and anything added so far). */
        public Builder clearExcludedPaths() {
            excluded.clear();
            return this;
        }

        /** Turns the access log on (default) or off. */
        public Builder accessLog(boolean enabled) {
            this.accessLog = enabled;
            return this;
        }

        /** Builds the settings. */
        public HttpServerTelemetry build() {
            return new HttpServerTelemetry(this);
        }
    }
}
