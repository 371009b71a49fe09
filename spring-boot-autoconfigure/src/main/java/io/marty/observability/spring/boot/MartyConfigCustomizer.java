package io.marty.observability.spring.boot;

import io.marty.observability.core.ObservabilityConfig;

/**
 * Adjusts the {@link ObservabilityConfig} after the {@code marty.*} properties are applied and
 * before it is validated, for what properties cannot say (a span exporter of your own, span
 * limits, …). Declare it as a bean; all of them run in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * MartyConfigCustomizer exportToMyBackend(SpanExporter exporter) {
 *     return config -> config.spanExporter(exporter);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface MartyConfigCustomizer {

    /** Changes {@code config} in place. */
    void customize(ObservabilityConfig.Builder config);
}
