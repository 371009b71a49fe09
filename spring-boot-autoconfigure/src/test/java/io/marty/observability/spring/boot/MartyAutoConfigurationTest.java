package io.marty.observability.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfigException;
import io.marty.observability.grpc.MartyGrpcClientInterceptor;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import io.marty.observability.http.HttpServerTelemetry;
import io.marty.observability.slo.SloTracker;
import io.marty.observability.spring.boot.internal.ConfigFailureAnalyzer;
import io.micrometer.observation.ObservationPredicate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.task.TaskDecorator;

class MartyAutoConfigurationTest {

    private static final AutoConfigurations MARTY = AutoConfigurations.of(
            MartyAutoConfiguration.class,
            MartyWebAutoConfiguration.class,
            MartyActuatorAutoConfiguration.class,
            MartyGrpcAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(MARTY)
            .withPropertyValues(
                    "marty.service.name=test-app", "marty.tracing.exporter=none", "marty.metrics.jvm=false");

    @Test
    void propertiesReachTheRunningConfig() {
        web.withPropertyValues(
                        "marty.service.name=checkout",
                        "marty.service.version=1.2.3",
                        "marty.service.environment=staging",
                        "marty.tracing.sampling-ratio=0.25",
                        "marty.otlp.endpoint=http://127.0.0.1:14318",
                        "marty.otlp.protocol=grpc",
                        "marty.otlp.headers.authorization=Bearer t0ken",
                        "marty.metrics.max-series-per-metric=77")
                .run(context -> {
                    MartyObservability obs = context.getBean(MartyObservability.class);
                    assertThat(obs.config().serviceName()).isEqualTo("checkout");
                    assertThat(obs.config().serviceVersion()).isEqualTo("1.2.3");
                    assertThat(obs.config().environment()).isEqualTo("staging");
                    assertThat(obs.config().sampleRate()).isEqualTo(0.25);
                    assertThat(obs.config().otlpEndpoint()).isEqualTo("http://127.0.0.1:14318");
                    assertThat(obs.config().otlpProtocol()).isEqualTo("grpc");
                    assertThat(obs.config().otlpHeaders()).containsEntry("authorization", "Bearer t0ken");
                    assertThat(obs.config().maxSeriesPerMetric()).isEqualTo(77);
                });
    }

    @Test
    void applicationNameIsTheServiceNameWhenNothingElseSaysOne() {
        new WebApplicationContextRunner()
                .withConfiguration(MARTY)
                .withPropertyValues("spring.application.name=billing", "marty.tracing.exporter=none")
                .run(context -> assertThat(context.getBean(MartyObservability.class)
                                .config()
                                .serviceName())
                        .isEqualTo("billing"));
    }

    @Test
    void servletApplicationGetsFilterClientCustomizersTaskDecoratorGrpcAndSloTracker() {
        web.run(context -> {
            assertThat(context).hasBean("martyServletFilter");
            assertThat(context.getBean("martyServletFilter", FilterRegistrationBean.class)
                            .getFilter())
                    .isInstanceOf(io.marty.observability.http.MartyServletFilter.class);
            assertThat(context).hasSingleBean(HttpServerTelemetry.class);
            assertThat(context).hasBean("martyRestClientCustomizer");
            assertThat(context).hasBean("martyRestTemplateCustomizer");
            assertThat(context).hasBean("martyWebClientCustomizer");
            assertThat(context).hasSingleBean(TaskDecorator.class);
            assertThat(context).hasSingleBean(MartyGrpcServerInterceptor.class);
            assertThat(context).hasSingleBean(MartyGrpcClientInterceptor.class);
            assertThat(context).hasSingleBean(SloTracker.class);
            assertThat(context).hasBean("martyOwnsHttpObservations");
        });
    }

    @Test
    void disabledRegistersNothing() {
        web.withPropertyValues("marty.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(MartyObservability.class);
            assertThat(context).doesNotHaveBean(MartyProperties.class);
            assertThat(context).doesNotHaveBean(TaskDecorator.class);
            assertThat(context).doesNotHaveBean(RestClientCustomizer.class);
            assertThat(context).doesNotHaveBean(ObservationPredicate.class);
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
            assertThat(Arrays.stream(context.getBeanDefinitionNames())
                            .filter(name ->
                                    name.toLowerCase(java.util.Locale.ROOT).contains("marty")))
                    .isEmpty();
            assertThat(MartyObservability.current()).isEmpty();
        });
    }

    @Test
    void micrometerOwnerLeavesHttpToSpring() {
        web.withPropertyValues("marty.http.owner=micrometer").run(context -> {
            assertThat(context).hasSingleBean(MartyObservability.class);
            assertThat(context).doesNotHaveBean("martyServletFilter");
            assertThat(context).doesNotHaveBean(RestClientCustomizer.class);
            assertThat(context).doesNotHaveBean(ObservationPredicate.class);
        });
    }

    @Test
    void nonWebApplicationGetsNoServerFilter() {
        new ApplicationContextRunner()
                .withConfiguration(MARTY)
                .withPropertyValues(
                        "marty.service.name=batch", "marty.tracing.exporter=none", "marty.metrics.jvm=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(MartyObservability.class);
                    assertThat(context).doesNotHaveBean("martyServletFilter");
                    assertThat(context).hasSingleBean(TaskDecorator.class);
                });
    }

    @Test
    void invalidSamplingRatioFailsStartupNamingThePropertyAndValue() {
        web.withPropertyValues("marty.tracing.sampling-ratio=1.5").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            ObservabilityConfigException cause = findCause(failure, ObservabilityConfigException.class);
            assertThat(cause).isNotNull();
            FailureAnalysis analysis = new ConfigFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("marty.tracing.sampling-ratio")
                    .contains("'1.5'");
            assertThat(analysis.getAction()).contains("marty.tracing.sampling-ratio");
            assertThat(MartyObservability.current()).isEmpty();
        });
    }

    @Test
    void missingServiceNameFailsStartupSayingWhatToSet() {
        new WebApplicationContextRunner()
                .withConfiguration(MARTY)
                .withPropertyValues("marty.tracing.exporter=none")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ConfigFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("marty.service.name");
                    assertThat(analysis.getAction()).contains("spring.application.name");
                });
    }

    @Test
    void invalidOtlpProtocolFailsStartupNamingTheProperty() {
        web.withPropertyValues("marty.otlp.protocol=carrier-pigeon").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new ConfigFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("marty.otlp.protocol")
                    .contains("'carrier-pigeon'");
        });
    }

    @Test
    void applicationsOwnInstanceIsKept() {
        try (MartyObservability own = MartyObservability.start(io.marty.observability.core.ObservabilityConfig.builder()
                .serviceName("own")
                .tracesExporter("none")
                .jvmMetrics(false)
                .registerGlobal(false)
                .build())) {
            web.withBean(MartyObservability.class, () -> own).run(context -> {
                assertThat(context.getBean(MartyObservability.class)).isSameAs(own);
                assertThat(context).hasBean("martyServletFilter");
            });
        }
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
