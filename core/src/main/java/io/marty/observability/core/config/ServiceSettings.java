package io.marty.observability.core.config;

import io.marty.observability.core.correlation.CorrelationContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who is reporting: service name, version, deployment environment, instance id and extra resource
 * attributes. Immutable; build with {@link #builder(ConfigSource)}.
 *
 * <pre>{@code
 * ServiceSettings service = ServiceSettings.builder(ConfigSource.environment())
 *         .serviceName("orders")           // wins over MMF_SERVICE_NAME / OTEL_SERVICE_NAME
 *         .resourceAttribute("team", "checkout")
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>setting</th><th>variables, first set wins</th><th>default</th></tr>
 *   <tr><td>serviceName</td><td>{@code MMF_SERVICE_NAME}, {@code OTEL_SERVICE_NAME}, {@code service.name} in
 *       {@code OTEL_RESOURCE_ATTRIBUTES}</td><td>required</td></tr>
 *   <tr><td>serviceVersion</td><td>{@code MMF_SERVICE_VERSION}, {@code service.version}</td><td>1.0.0</td></tr>
 *   <tr><td>environment</td><td>{@code MMF_ENVIRONMENT}, {@code DEPLOYMENT_ENVIRONMENT},
 *       {@code deployment.environment.name}, {@code deployment.environment}</td><td>development</td></tr>
 *   <tr><td>serviceInstanceId</td><td>{@code MMF_SERVICE_INSTANCE_ID}, {@code service.instance.id}</td>
 *       <td>a random UUID</td></tr>
 *   <tr><td>resourceAttributes</td><td>the other entries of {@code OTEL_RESOURCE_ATTRIBUTES}
 *       ({@code k=v,k2=v2}, values percent-decoded)</td><td>none</td></tr>
 * </table>
 */
public final class ServiceSettings {
    /** Default environment name. */
    public static final String DEFAULT_ENVIRONMENT = "development";

    private static final String[] PROMOTED = {
        "service.name",
        "service.version",
        "service.instance.id",
        "deployment.environment.name",
        "deployment.environment"
    };

    private final String serviceName;
    private final String serviceVersion;
    private final String environment;
    private final String serviceInstanceId;
    private final Map<String, String> resourceAttributes;

    private ServiceSettings(
            String serviceName,
            String serviceVersion,
            String environment,
            String serviceInstanceId,
            Map<String, String> resourceAttributes) {
        this.serviceName = serviceName;
        this.serviceVersion = serviceVersion;
        this.environment = environment;
        this.serviceInstanceId = serviceInstanceId;
        this.resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(resourceAttributes));
    }

    /** A builder reading nothing but its own values and the defaults. */
    public static Builder builder() {
        return new Builder(ConfigSource.empty());
    }

    /** A builder whose unset values are read from {@code source}. */
    public static Builder builder(ConfigSource source) {
        return new Builder(source);
    }

    /** Service name ({@code service.name}). */
    public String serviceName() {
        return serviceName;
    }

    /** Service version ({@code service.version}). */
    public String serviceVersion() {
        return serviceVersion;
    }

    /** Deployment environment, lower case ({@code deployment.environment.name}). */
    public String environment() {
        return environment;
    }

    /** {@code service.instance.id}: given, or a random UUID per build. */
    public String serviceInstanceId() {
        return serviceInstanceId;
    }

    /** Extra resource attributes (without the promoted ones above). */
    public Map<String, String> resourceAttributes() {
        return resourceAttributes;
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = builder()
                .serviceName(serviceName)
                .serviceVersion(serviceVersion)
                .environment(environment)
                .serviceInstanceId(serviceInstanceId);
        b.attributes.putAll(resourceAttributes);
        return b;
    }

    @Override
    public String toString() {
        return "ServiceSettings{" + serviceName + " " + serviceVersion + " @" + environment + "}";
    }

    /** Builder of {@link ServiceSettings}; {@link #build()} validates. */
    public static final class Builder {
        private final Values values;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder(ConfigSource source) {
            this.values = new Values(source);
        }

        /** Required service name; must not be empty. */
        public Builder serviceName(String serviceName) {
            values.set("serviceName", serviceName);
            return this;
        }

        /** Service version (default {@code 1.0.0}). */
        public Builder serviceVersion(String serviceVersion) {
            values.set("serviceVersion", serviceVersion);
            return this;
        }

        /** Deployment environment (default {@value #DEFAULT_ENVIRONMENT}); drives the default sample rate. */
        public Builder environment(String environment) {
            values.set("environment", environment);
            return this;
        }

        /** {@code service.instance.id} (default: a random UUID). */
        public Builder serviceInstanceId(@Nullable String serviceInstanceId) {
            values.set("serviceInstanceId", serviceInstanceId);
            return this;
        }

        /** Adds one resource attribute; wins over the same key in {@code OTEL_RESOURCE_ATTRIBUTES}. */
        public Builder resourceAttribute(String key, String value) {
            attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws io.marty.observability.core.ObservabilityConfigException naming the key and value
         */
        public ServiceSettings build() {
            Setting<String> name =
                    values.string("serviceName", null, "MMF_SERVICE_NAME", "OTEL_SERVICE_NAME", "@service.name");
            if (name.value == null || name.value.isBlank()) {
                throw name.invalid("the service name must not be empty");
            }
            Setting<String> version =
                    values.string("serviceVersion", "1.0.0", "MMF_SERVICE_VERSION", "@service.version");
            if (version.value == null || version.value.isBlank()) {
                throw version.invalid("the service version must not be empty");
            }
            Setting<String> env = values.string(
                    "environment",
                    DEFAULT_ENVIRONMENT,
                    "MMF_ENVIRONMENT",
                    "DEPLOYMENT_ENVIRONMENT",
                    "@deployment.environment.name",
                    "@deployment.environment");
            if (env.value == null || env.value.isBlank()) {
                throw env.invalid("the environment must not be empty");
            }
            String instance =
                    values.string("serviceInstanceId", null, "MMF_SERVICE_INSTANCE_ID", "@service.instance.id").value;
            Map<String, String> merged = new LinkedHashMap<>(values.resourceAttributes());
            for (String promoted : PROMOTED) {
                merged.remove(promoted); // configured through their own settings
            }
            merged.putAll(attributes);
            return new ServiceSettings(
                    name.value.trim(),
                    version.value,
                    env.value.trim().toLowerCase(Locale.ROOT),
                    // unique, not secret: UUID.randomUUID() would initialise SecureRandom (~25 ms of startup)
                    instance != null ? instance : CorrelationContext.newId(),
                    merged);
        }
    }
}
