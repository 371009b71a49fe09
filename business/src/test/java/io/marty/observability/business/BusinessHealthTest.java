package io.marty.observability.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.marty.observability.business.BusinessHealth.Component;
import io.marty.observability.testing.ManualClock;
import io.marty.observability.testing.MartyTesting;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health scores for scenarios computed by hand. */
class BusinessHealthTest {
    private final BusinessHealth health = BusinessHealth.builder().build();

    @Test
    void allInputsPresent() {
        // revenue 80 % of baseline -> 80; conversion above baseline -> 100; error rate 1 % of max 5 % -> 80;
        // latency 0.98 / 0.99 -> 98.9899; engagement 50 % -> 50
        BusinessHealth.Score s = health.score(BusinessHealth.Inputs.builder()
                .revenue(8_000, 10_000)
                .conversion(0.031, 0.030)
                .errorRate(0.01)
                .latencyCompliance(0.98)
                .engagement(500, 1000)
                .build());
        double expected = 0.30 * 80 + 0.25 * 100 + 0.20 * 80 + 0.15 * (100 * 0.98 / 0.99) + 0.10 * 50;
        assertThat(s.value()).isCloseTo(expected, within(1e-9)); // 84.848…
        assertThat(s.missing()).isEmpty();
        BusinessHealth.ComponentScore rev = s.components().get(0);
        assertThat(rev.component()).isEqualTo(Component.REVENUE);
        assertThat(rev.input()).isEqualTo(8_000.0);
        assertThat(rev.baseline()).isEqualTo(10_000.0);
        assertThat(rev.subScore()).isEqualTo(80.0);
        assertThat(rev.weight()).isEqualTo(0.30);
        assertThat(rev.effectiveWeight()).isEqualTo(0.30);
    }

    @Test
    void missingInputsAreReportedAndTheirWeightIsRedistributed() {
        // engagement and conversion missing: remaining weights 0.30 + 0.20 + 0.15 = 0.65
        BusinessHealth.Score s = health.score(BusinessHealth.Inputs.builder()
                .revenue(5_000, 10_000)
                .errorRate(0.05)
                .latencyCompliance(0.99)
                .build());
        double expected = (0.30 * 50 + 0.20 * 0 + 0.15 * 100) / 0.65; // 46.153…
        assertThat(s.value()).isCloseTo(expected, within(1e-9));
        assertThat(s.missing()).containsExactly(Component.CONVERSION, Component.ENGAGEMENT);
        BusinessHealth.ComponentScore conv = s.components().get(1);
        assertThat(conv.input()).isNull();
        assertThat(conv.subScore()).isNaN();
        assertThat(conv.effectiveWeight()).isZero();
        assertThat(conv.explanation()).startsWith("missing");
        assertThat(s.components().get(0).effectiveWeight()).isCloseTo(0.30 / 0.65, within(1e-12));
        // a baseline of zero is not a baseline
        assertThat(health.score(BusinessHealth.Inputs.builder().revenue(10, 0).build())
                        .value())
                .isNaN();
    }

    @Test
    void customWeightsAreNormalisedAndBadOnesRefused() {
        BusinessHealth h = BusinessHealth.builder()
                .weight(Component.REVENUE, 1)
                .weight(Component.CONVERSION, 1)
                .weight(Component.ERROR_RATE, 0)
                .weight(Component.LATENCY, 0)
                .weight(Component.ENGAGEMENT, 0)
                .build();
        assertThat(h.score(BusinessHealth.Inputs.builder()
                                .revenue(1, 2)
                                .conversion(1, 1)
                                .build())
                        .value())
                .isEqualTo(75.0);
        assertThatThrownBy(() -> BusinessHealth.builder().weight(Component.REVENUE, -1))
                .hasMessageContaining("revenue");
    }

    @Test
    void inputsComeFromTheMetricsSeriesAndTheGaugesAreExposed() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-02T10:00:00Z"));
        try (MartyTesting marty = MartyTesting.start("shop")) {
            BusinessMetrics m = BusinessMetrics.builder(marty.observability().metrics())
                    .clock(clock)
                    .build();
            BusinessMetrics.Funnel f = m.funnel("checkout", "cart", "confirmed");
            // yesterday: 100.00 USD revenue, conversion 50 %
            for (int i = 0; i < 10; i++) {
                m.revenue(Money.of("10", "USD"), "web");
                f.step("cart");
                if (i % 2 == 0) {
                    f.step("confirmed");
                }
            }
            clock.advance(Duration.ofDays(1));
            // today: 60.00 USD, conversion 25 %, 4 orders, one failed, all fast
            for (int i = 0; i < 6; i++) {
                m.revenue(Money.of("10", "USD"), "web");
            }
            for (int i = 0; i < 4; i++) {
                f.step("cart");
                m.order(i != 0, Money.of("10", "USD"), Duration.ofMillis(100), "web");
            }
            f.step("confirmed");
            BusinessHealth h = BusinessHealth.builder()
                    .metrics(marty.observability().metrics())
                    .build();
            BusinessHealth.Score s =
                    h.score(BusinessHealth.inputsFrom(m, "checkout", Duration.ofHours(1), Duration.ofDays(1)));
            // revenue 60 -> 60 * 0.30; conversion 50 -> * 0.25; errors 25 % of max 5 % -> 0 * 0.20;
            // latency: 3 of 4 within the SLO (the failed one does not count) -> 0.75/0.99 -> * 0.15; engagement missing
            double expected = (0.30 * 60 + 0.25 * 50 + 0.20 * 0 + 0.15 * (100 * 0.75 / 0.99)) / 0.90;
            assertThat(s.value()).isCloseTo(expected, within(1e-9));
            assertThat(s.missing()).containsExactly(Component.ENGAGEMENT);
            assertThat(marty.sum("mmf_business_health_score", Map.of())).isCloseTo(expected, within(1e-9));
            assertThat(marty.sum("mmf_business_health_component_score", Map.of("component", "revenue")))
                    .isEqualTo(60.0);
            // the numbers behind each sub-score, for views that only see the exported metrics
            BusinessHealth.ComponentScore revenue = s.components().get(0);
            assertThat(marty.sum("mmf_business_health_component_input", Map.of("component", "revenue")))
                    .isEqualTo(revenue.input());
            assertThat(marty.sum("mmf_business_health_component_baseline", Map.of("component", "revenue")))
                    .isEqualTo(revenue.baseline());
            assertThat(marty.sum("mmf_business_health_component_weight", Map.of("component", "revenue")))
                    .isCloseTo(0.30 / 0.90, within(1e-9));
            assertThat(marty.sum("mmf_business_health_component_weight", Map.of("component", "engagement")))
                    .isEqualTo(0.0);
        }
    }
}
