package io.marty.observability.logging.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import java.util.Optional;

/**
 * Resolves service name, version and environment for log lines: explicit encoder property, then the
 * running {@link MartyObservability} config, then system property / environment variable, then the
 * OpenTelemetry default name.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class ServiceIdentity {
    /** The OpenTelemetry SDK's default when no service name is configured. */
    public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";

    /** Bumped when core (re)starts so encoders re-resolve; read once per event (one volatile read). */
    private static volatile int epoch;

    public final String name;
    public final String version;
    public final String environment;
    public final int resolvedAtEpoch;

    private ServiceIdentity(String name, String version, String environment, int resolvedAtEpoch) {
        this.name = name;
        this.version = version;
        this.environment = environment;
        this.resolvedAtEpoch = resolvedAtEpoch;
    }

    public static int epoch() {
        return epoch;
    }

    /** Tells encoders that the running {@link MartyObservability} changed. */
    public static void invalidate() {
        epoch++;
    }

    public static ServiceIdentity resolve(String name, String version, String environment) {
        int at = epoch;
        Optional<ObservabilityConfig> core = MartyObservability.current().map(MartyObservability::config);
        String n = first(
                name,
                core.map(ObservabilityConfig::serviceName).orElse(null),
                sys("otel.service.name"),
                env("OTEL_SERVICE_NAME"),
                env("MMF_SERVICE_NAME"));
        String v = first(
                version,
                core.map(ObservabilityConfig::serviceVersion).orElse(null),
                sys("mmf.service.version"),
                env("MMF_SERVICE_VERSION"),
                env("SERVICE_VERSION"));
        String e = first(
                environment,
                core.map(ObservabilityConfig::environment).orElse(null),
                sys("mmf.environment"),
                env("MMF_ENVIRONMENT"),
                env("DEPLOYMENT_ENVIRONMENT"),
                env("ENVIRONMENT"));
        return new ServiceIdentity(n == null ? DEFAULT_SERVICE_NAME : n, v, e, at);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static String sys(String key) {
        return System.getProperty(key);
    }

    private static String env(String key) {
        return System.getenv(key);
    }
}
