package io.marty.observability.spring.boot;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.spring.boot.internal.HealthBridge;
import io.marty.observability.spring.boot.internal.MicrometerBridge;
import io.marty.observability.spring.boot.internal.PrometheusEndpoint;
import io.marty.observability.spring.boot.internal.PrometheusMerge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator: Marty's health as the {@code marty} health contributor (add it to the liveness or
 * readiness group), Actuator's indicators and Spring's availability state as Marty checks, and
 * {@code /actuator/prometheus} showing Marty's metrics.
 */
@AutoConfiguration(
        after = MartyAutoConfiguration.class,
        afterName =
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration")
@ConditionalOnBooleanProperty(name = "marty.enabled", matchIfMissing = true)
@ConditionalOnBean(MartyObservability.class)
public class MartyActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class HealthConfiguration {

        @Bean(name = HealthBridge.CONTRIBUTOR + "HealthIndicator")
        HealthIndicator martyHealthIndicator(MartyObservability observability) {
            return HealthBridge.indicator(observability.health());
        }

        @Bean
        SmartInitializingSingleton martySpringHealthChecks(
                MartyObservability observability,
                ObjectProvider<HealthContributorRegistry> contributors,
                ObjectProvider<ApplicationAvailability> availability) {
            return () -> {
                HealthContributorRegistry registry = contributors.getIfAvailable();
                if (registry != null) {
                    HealthBridge.registerSpringChecks(observability.health(), registry, availability.getIfAvailable());
                }
            };
        }
    }

    /** No Micrometer Prometheus registry: Marty's registry is {@code /actuator/prometheus}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    @ConditionalOnMissingClass("io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
    @ConditionalOnAvailableEndpoint(PrometheusEndpoint.class)
    static class PrometheusEndpointConfiguration {

        @Bean
        PrometheusEndpoint martyPrometheusEndpoint(MartyObservability observability) {
            return new PrometheusEndpoint(observability.metrics().registry());
        }
    }

    /** Micrometer's Prometheus registry present: Boot's endpoint serves Marty's metrics beside it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
    @ConditionalOnBean(PrometheusRegistry.class)
    @ConditionalOnBooleanProperty(name = "marty.micrometer.bridge", havingValue = false, matchIfMissing = true)
    static class PrometheusMergeConfiguration {

        @Bean
        SmartInitializingSingleton martyPrometheusMerge(
                MartyObservability observability, ObjectProvider<PrometheusRegistry> registries) {
            return () -> registries
                    .orderedStream()
                    .filter(r -> r != observability.metrics().registry())
                    .forEach(r -> r.register(
                            new PrometheusMerge(observability.metrics().registry())));
        }
    }

    /**
     * {@code marty.micrometer.bridge=true}: Marty's metrics also published into the application's
     * Micrometer registries (Boot binds every {@code MeterBinder} bean to them).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    @ConditionalOnBooleanProperty(name = "marty.micrometer.bridge")
    static class MicrometerBridgeConfiguration {

        @Bean
        MicrometerBridge martyMicrometerBridge(MartyObservability observability) {
            return new MicrometerBridge(observability.metrics().registry());
        }
    }
}
