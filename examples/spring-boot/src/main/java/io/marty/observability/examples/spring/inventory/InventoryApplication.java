package io.marty.observability.examples.spring.inventory;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The inventory service: {@code GET /stock/{id}} asks its pricing gRPC service through a channel
 * carrying the starter's {@code MartyGrpcClientInterceptor}. Settings in {@code
 * application-inventory.yml}.
 */
@SpringBootApplication
public class InventoryApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The application with its profile, for tests and {@link #main}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(InventoryApplication.class).profiles("inventory");
    }
}
