package io.marty.observability.examples.spring.orders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Work off the request thread: an {@code @Async} confirmation and a {@code @Scheduled} sweep. */
@Component
public class Confirmations {

    private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

    /** Runs on Boot's task executor, in the request's context (the starter's task decorator). */
    @Async
    public void confirm(String orderId) {
        LOG.info("order {} confirmed", orderId);
    }

    /** Runs on Boot's scheduler; each run gets a context (correlation id, span) of its own. */
    @Scheduled(fixedDelayString = "${orders.sweep-interval:PT1M}")
    public void sweep() {
        LOG.info("stale orders swept");
    }
}
