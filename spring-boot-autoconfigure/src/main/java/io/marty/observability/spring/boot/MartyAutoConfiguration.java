package io.marty.observability.spring.boot;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.config.ConfigSource;
import io.marty.observability.slo.SloTracker;
import io.marty.observability.spring.boot.internal.ContextTaskDecorator;
import io.marty.observability.spring.boot.internal.ObservabilityLifecycle;
import io.marty.observability.spring.boot.internal.PropertiesMapping;
import io.marty.observability.spring.boot.internal.SloSpecs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.task.TaskDecorator;

/**
 * Starts Marty for the application: the {@link MartyObservability} built from {@code marty.*}
 * (then {@code OTEL_*}/{@code MMF_*}, then defaults), a context-carrying
 * {@link TaskDecorator} for {@code @Async}, executors and {@code @Scheduled}, and an {@link
 * SloTracker} for the specs under {@code classpath:slo/}. {@code marty.enabled=false} turns all of
 * it (and every other Marty auto-configuration) off.
 *
 * <p>An application that defines its own {@link MartyObservability} bean keeps it; the request
 * instrumentation then reports to that instance.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
            "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration"
        })
@ConditionalOnBooleanProperty(name = "marty.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MartyProperties.class)
public class MartyAutoConfiguration {

    /** Starts (or adopts) the JVM's instance when the application defines none. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(MartyObservability.class)
    static class ObservabilityConfiguration {

        @Bean
        ObservabilityLifecycle martyObservabilityLifecycle(
                MartyProperties properties,
                Environment environment,
                ObjectProvider<MartyConfigCustomizer> customizers) {
            ObservabilityConfig.Builder builder = PropertiesMapping.builder(
                    properties, ConfigSource.environment(), environment.getProperty("spring.application.name"));
            // a registry per context rather than client_java's JVM-wide default registry, so a context
            // restarted in the same JVM (tests, devtools) registers its metrics afresh
            builder.prometheusRegistry(new PrometheusRegistry());
            customizers.orderedStream().forEach(c -> c.customize(builder));
            // fails startup with ObservabilityConfigException naming the value; MartyFailureAnalyzer explains it
            return ObservabilityLifecycle.start(builder.build());
        }

        @Bean(destroyMethod = "")
        MartyObservability martyObservability(ObservabilityLifecycle lifecycle) {
            return lifecycle.observability();
        }
    }

    @Bean
    @ConditionalOnMissingBean(name = "martyTaskDecorator")
    TaskDecorator martyTaskDecorator(MartyObservability observability) {
        return new ContextTaskDecorator(observability);
    }

    @Bean
    ThreadPoolTaskSchedulerCustomizer martyTaskSchedulerCustomizer(TaskDecorator martyTaskDecorator) {
        return scheduler -> scheduler.setTaskDecorator(martyTaskDecorator);
    }

    /** SLO specs found at {@code marty.slo.locations}, tracked from the RED metrics as they happen. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SloTracker.class)
    @ConditionalOnBooleanProperty(name = "marty.slo.enabled", matchIfMissing = true)
    static class SloConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SloTracker martySloTracker(
                MartyProperties properties, ResourcePatternResolver resources, MartyObservability observability) {
            SloTracker tracker = SloTracker.builder()
                    .slos(SloSpecs.load(resources, properties.getSlo().getLocations()))
                    .build();
            return SloSpecs.attach(tracker, observability);
        }
    }
}
