/**
 * A Spring Boot 4 sample with the Marty starter: {@link
 * io.marty.observability.examples.spring.orders.OrdersApplication} (Spring MVC, {@code RestClient})
 * calls {@link io.marty.observability.examples.spring.inventory.InventoryApplication} (Spring MVC,
 * gRPC client) which calls its pricing gRPC service; {@link
 * io.marty.observability.examples.spring.reactive.ReactiveApplication} is the WebFlux/{@code
 * WebClient} variant. No Marty code in any of them: the starter and {@code application.yml} do it.
 */
@NullMarked
package io.marty.observability.examples.spring;

import org.jspecify.annotations.NullMarked;
