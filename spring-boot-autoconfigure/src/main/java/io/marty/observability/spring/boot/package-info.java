/**
 * Spring Boot 4 auto-configuration for Marty Observability: {@code marty.*} properties bound onto
 * {@link io.marty.observability.core.ObservabilityConfig}, request instrumentation for Spring MVC,
 * WebFlux, {@code RestClient}, {@code RestTemplate}, {@code WebClient} and gRPC, context
 * propagation for {@code @Async} and {@code @Scheduled}, Actuator health and Prometheus, SLO specs.
 * Applications depend on {@code marty-observability-spring-boot-starter} and set {@code
 * marty.service.name}; see {@code docs/spring-boot.md}.
 */
@NullMarked
package io.marty.observability.spring.boot;

import org.jspecify.annotations.NullMarked;
