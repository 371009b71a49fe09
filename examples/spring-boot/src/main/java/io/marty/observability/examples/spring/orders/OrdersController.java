package io.marty.observability.examples.spring.orders;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/** {@code GET /orders/{id}}: stock from the inventory service, then an async confirmation. */
@RestController
class OrdersController {

    private static final Logger LOG = LoggerFactory.getLogger(OrdersController.class);

    private final RestClient inventory;
    private final Confirmations confirmations;

    OrdersController(
            RestClient.Builder builder, Confirmations confirmations, @Value("${inventory.url}") String inventoryUrl) {
        // Boot's builder: the starter's customizer has added Marty's client interceptor to it
        this.inventory = builder.baseUrl(inventoryUrl).build();
        this.confirmations = confirmations;
    }

    /** No downstream call: the request the startup/throughput benchmark measures. */
    @GetMapping("/orders/{id}/status")
    Map<String, Object> status(@PathVariable("id") String id) {
        return Map.of("order", id, "status", "open");
    }

    @GetMapping("/orders/{id}")
    Map<String, Object> order(@PathVariable("id") String id) {
        LOG.info("loading order {}", id);
        @SuppressWarnings("unchecked")
        Map<String, Object> stock =
                inventory.get().uri("/stock/{id}", id).retrieve().body(Map.class);
        confirmations.confirm(id);
        return Map.of("order", id, "stock", stock == null ? Map.of() : stock);
    }
}
