package io.marty.observability.examples.spring.reactive;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The WebFlux variant: {@code GET /quotes/{id}} calls {@code GET /rates/{id}} of a downstream
 * service with {@code WebClient} after a delay on another scheduler, and logs on a third thread.
 * The starter keeps the request context across those operators.
 */
@SpringBootApplication
public class ReactiveApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The application as a reactive web application with its profile. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ReactiveApplication.class)
                .web(WebApplicationType.REACTIVE)
                .profiles("reactive");
    }
}
