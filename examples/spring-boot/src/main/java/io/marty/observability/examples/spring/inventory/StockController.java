package io.marty.observability.examples.spring.inventory;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /stock/{id}}: asks pricing over gRPC, answers with a made-up stock level. */
@RestController
class StockController {

    private static final Logger LOG = LoggerFactory.getLogger(StockController.class);

    private final HealthGrpc.HealthBlockingStub pricing;

    StockController(HealthGrpc.HealthBlockingStub pricing) {
        this.pricing = pricing;
    }

    @GetMapping("/stock/{id}")
    Map<String, Object> stock(@PathVariable("id") String id) {
        String priced = pricing.withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus()
                .name();
        LOG.info("stock of {} read, pricing {}", id, priced);
        return Map.of("item", id, "available", 7, "pricing", priced);
    }
}
