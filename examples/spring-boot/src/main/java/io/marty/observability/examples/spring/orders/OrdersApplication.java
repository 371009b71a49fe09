package io.marty.observability.examples.spring.orders;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The orders service: {@code GET /orders/{id}} asks the inventory service over {@code RestClient},
 * confirms the order in an {@code @Async} task, and a {@code @Scheduled} job sweeps stale orders.
 * Settings in {@code application-orders.yml} (profile {@code orders}).
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class OrdersApplication {

    /** Runs it; {@code --inventory.url=http://127.0.0.1:8091} points at the inventory service. */
    public static void main(String[] args) {
        builder().run(args);
    }

    /** The application with its profile, for tests and {@link #main}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(OrdersApplication.class).profiles("orders");
    }
}
