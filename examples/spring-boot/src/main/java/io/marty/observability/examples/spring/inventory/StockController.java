package io.marty.observability.examples.spring.inventory;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /stock/{id}}: asks pricing over gRPC, answers with a made-up stock level. */
@RestController
class StockController {

    private static final Logger LOG = LoggerFactory.getLogger(StockController.class);

    private final PricingGrpc.Pricing pricing;

    StockController(PricingGrpc.Pricing pricing) {
        this.pricing = pricing;
    }

    @GetMapping("/stock/{id}")
    Map<String, Object> stock(@PathVariable("id") String id) {
        String price = pricing.quote(id);
        LOG.info("stock of {} read, price {}", id, price);
        return Map.of("item", id, "available", 7, "price", price);
    }
}
