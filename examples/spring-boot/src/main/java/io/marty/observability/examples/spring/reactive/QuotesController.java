package io.marty.observability.examples.spring.reactive;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Quotes: a delay, a WebClient call and a log line on a bounded-elastic thread. */
@RestController
class QuotesController {

    private static final Logger LOG = LoggerFactory.getLogger(QuotesController.class);

    private final WebClient rates;
    private final String ratesUrl;

    QuotesController(WebClient.Builder builder, @Value("${rates.url:}") String ratesUrl) {
        this.rates = builder.build();
        this.ratesUrl = ratesUrl;
    }

    @GetMapping("/quotes/{id}")
    Mono<Map<String, Object>> quote(@PathVariable("id") String id, ServerHttpRequest request) {
        // rates.url unset: this service answers /rates itself
        String base = ratesUrl.isEmpty()
                ? "http://127.0.0.1:" + request.getLocalAddress().getPort()
                : ratesUrl;
        return Mono.delay(Duration.ofMillis(5))
                .flatMap(tick ->
                        rates.get().uri(base + "/rates/{id}", id).retrieve().bodyToMono(Map.class))
                .publishOn(Schedulers.boundedElastic())
                .map(rate -> {
                    LOG.info("quote {} priced", id);
                    return Map.<String, Object>of("quote", id, "rate", rate);
                });
    }

    @GetMapping("/rates/{id}")
    Mono<Map<String, Object>> rate(@PathVariable("id") String id) {
        return Mono.fromSupplier(() -> Map.<String, Object>of("item", id, "rate", 1.25));
    }
}
