package io.marty.observability.core.config;

import java.time.Duration;

/**
 * Start and stop: global registration, the bound of {@code close()} and the default health-check
 * timeout. Immutable; build with {@link #builder(ConfigSource)}.
 *
 * <pre>{@code
 * LifecycleSettings lifecycle = LifecycleSettings.builder(ConfigSource.environment())
 *         .shutdownTimeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>setting</th><th>variable</th><th>default</th></tr>
 *   <tr><td>registerGlobal</td><td>none</td><td>false</td></tr>
 *   <tr><td>shutdownTimeout</td><td>{@code MMF_SHUTDOWN_TIMEOUT_MS}</td><td>5 s</td></tr>
 *   <tr><td>healthCheckTimeout</td><td>{@code MMF_HEALTH_CHECK_TIMEOUT_MS}</td><td>2 s</td></tr>
 * </table>
 */
public final class LifecycleSettings {
    private final boolean registerGlobal;
    private final Duration shutdownTimeout;
    private final Duration healthCheckTimeout;

    private LifecycleSettings(boolean registerGlobal, Duration shutdownTimeout, Duration healthCheckTimeout) {
        this.registerGlobal = registerGlobal;
        this.shutdownTimeout = shutdownTimeout;
        this.healthCheckTimeout = healthCheckTimeout;
    }

    /** A builder reading nothing but its own values and the defaults. */
    public static Builder builder() {
        return new Builder(ConfigSource.empty());
    }

    /** A builder whose unset values are read from {@code source}. */
    public static Builder builder(ConfigSource source) {
        return new Builder(source);
    }

    /** Whether {@code start} also sets {@code GlobalOpenTelemetry} (once per JVM). */
    public boolean registerGlobal() {
        return registerGlobal;
    }

    /** Upper bound of {@code close()} (flush and shutdown). */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Default timeout of one health check. */
    public Duration healthCheckTimeout() {
        return healthCheckTimeout;
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return builder()
                .registerGlobal(registerGlobal)
                .shutdownTimeout(shutdownTimeout)
                .healthCheckTimeout(healthCheckTimeout);
    }

    @Override
    public String toString() {
        return "LifecycleSettings{registerGlobal=" + registerGlobal + ", shutdownTimeout=" + shutdownTimeout
                + ", healthCheckTimeout=" + healthCheckTimeout + "}";
    }

    /** Builder of {@link LifecycleSettings}; {@link #build()} validates. */
    public static final class Builder {
        private final Values values;

        private Builder(ConfigSource source) {
            this.values = new Values(source);
        }

        /** Also register the SDK as {@code GlobalOpenTelemetry} (possible once per JVM; default false). */
        public Builder registerGlobal(boolean registerGlobal) {
            values.set("registerGlobal", registerGlobal);
            return this;
        }

        /** Upper bound of {@code close()} (default 5 s). */
        public Builder shutdownTimeout(Duration timeout) {
            values.set("shutdownTimeout", timeout);
            return this;
        }

        /** Default timeout of a health check (default 2 s). */
        public Builder healthCheckTimeout(Duration timeout) {
            values.set("healthCheckTimeout", timeout);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws io.marty.observability.core.ObservabilityConfigException naming the key and value
         */
        public LifecycleSettings build() {
            boolean global = values.get("registerGlobal", Values.BOOLEAN, false).value;
            Setting<Duration> shutdown =
                    values.get("shutdownTimeout", Values.MILLIS, Duration.ofSeconds(5), "MMF_SHUTDOWN_TIMEOUT_MS");
            Values.checkPositive(shutdown);
            Setting<Duration> health = values.get(
                    "healthCheckTimeout", Values.MILLIS, Duration.ofSeconds(2), "MMF_HEALTH_CHECK_TIMEOUT_MS");
            Values.checkPositive(health);
            return new LifecycleSettings(global, shutdown.value, health.value);
        }
    }
}
