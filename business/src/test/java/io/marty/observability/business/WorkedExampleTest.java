package io.marty.observability.business;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.testing.ManualClock;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worked example of docs/business.md, compiled and run (the doc quotes the code between the markers). */
class WorkedExampleTest {

    @Test
    void workedExample() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-02T12:00:00Z"));
        try (MartyTesting marty = MartyTesting.start("shop")) {
            // --8<-- [start:example]
            BusinessMetrics business = BusinessMetrics.builder(
                            marty.observability().metrics())
                    .clock(clock)
                    .build();
            BusinessMetrics.Funnel checkout = business.funnel("checkout", "cart", "payment", "confirmed");

            // one checkout: the order id goes to logs and spans, never to a metric label
            try (Scope ignored = BusinessContext.with("order_id", "o-1001")
                    .and("tenant", "acme")
                    .attach()) {
                checkout.step("cart");
                checkout.step("payment");
                business.revenue(Money.of("49.90", "USD"), "web");
                business.order(true, Money.of("49.90", "USD"), Duration.ofMillis(350), "web");
                checkout.step("confirmed");
                business.activeUser("u-42");
            }

            // explainable health: revenue against the same hour yesterday (missing here: no history)
            BusinessHealth.Score score = BusinessHealth.builder()
                    .metrics(marty.observability().metrics())
                    .build()
                    .score(BusinessHealth.inputsFrom(business, "checkout", Duration.ofHours(1), Duration.ofDays(1)));

            // alert rules from YAML, evaluated in process; the same file generates Prometheus rules
            BusinessAlertRules rules = BusinessAlertRules.parse("""
                    service: shop
                    funnels: {checkout: [cart, payment, confirmed]}
                    rules:
                      - {name: no_orders, type: absence, series: orders, window: 10m, severity: critical}
                    """, "shop-business.yaml");
            List<Alert> alerts = new ArrayList<>();
            try (BusinessAlerting alerting = BusinessAlerting.builder(rules, business)
                    .addListener(alerts::add)
                    .build()) {
                clock.advance(Duration.ofMinutes(11)); // no more orders
                alerting.evaluate();
            }
            String prometheusRules = BusinessRuleGenerator.rules(rules);
            // --8<-- [end:example]

            assertThat(score.missing())
                    .containsExactly(
                            BusinessHealth.Component.REVENUE,
                            BusinessHealth.Component.CONVERSION,
                            BusinessHealth.Component.ENGAGEMENT);
            assertThat(score.value())
                    .isCloseTo(
                            100.0,
                            org.assertj.core.api.Assertions.within(
                                    1e-9)); // no failed orders, all within the latency SLO
            assertThat(alerts).extracting(Alert::rule).containsExactly("no_orders");
            assertThat(prometheusRules).contains("absent_over_time(mmf_business_orders_total{service=\"shop\"}[10m])");
            assertThat(business.activeUsers(Duration.ofDays(1))).isEqualTo(1);
        }
    }
}
