package io.marty.observability.logging.internal;

/**
 * Resolves service name, version and environment for log lines: explicit value, then system
 * property, then environment variable, then the OpenTelemetry default name.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class ServiceIdentity {
    /** The OpenTelemetry SDK's default when no service name is configured. */
    public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";

    public final String name;
    public final String version;
    public final String environment;

    private ServiceIdentity(String name, String version, String environment) {
        this.name = name;
        this.version = version;
        this.environment = environment;
    }

    public static ServiceIdentity resolve(String name, String version, String environment) {
        String n = first(name, sys("otel.service.name"), env("OTEL_SERVICE_NAME"), env("MMF_SERVICE_NAME"));
        String v = first(version, sys("mmf.service.version"), env("MMF_SERVICE_VERSION"), env("SERVICE_VERSION"));
        String e = first(
                environment,
                sys("mmf.environment"),
                env("MMF_ENVIRONMENT"),
                env("DEPLOYMENT_ENVIRONMENT"),
                env("ENVIRONMENT"));
        return new ServiceIdentity(n == null ? DEFAULT_SERVICE_NAME : n, v, e);
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
