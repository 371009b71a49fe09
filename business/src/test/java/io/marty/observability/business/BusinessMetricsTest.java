package io.marty.observability.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.marty.observability.business.internal.HyperLogLog;
import io.marty.observability.testing.ManualClock;
import io.marty.observability.testing.MartyTesting;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BusinessMetricsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T10:00:00Z"));
    private MartyTesting marty;
    private BusinessMetrics business;

    @BeforeEach
    void start() {
        marty = MartyTesting.start("shop");
        business = BusinessMetrics.builder(marty.observability().metrics())
                .clock(clock)
                .build();
    }

    @AfterEach
    void stop() {
        marty.close();
    }

    @Test
    void revenueIsSummedExactlyInMinorUnits() {
        for (int i = 0; i < 1000; i++) {
            business.revenue(Money.of("0.10", "USD"), "web");
        }
        business.revenue(Money.of("1000", "JPY"), "app");
        assertThat(business.aggregate("revenue", Aggregation.SUM, Duration.ofMinutes(5), Duration.ZERO))
                .isEqualTo(10_000.0);
        assertThat(marty.sum("mmf_business_revenue_minor_units_total", Map.of("currency", "USD", "channel", "web")))
                .isEqualTo(10_000.0);
        assertThat(marty.sum("mmf_business_revenue_minor_units_total", Map.of("currency", "JPY")))
                .isEqualTo(1000.0);
        assertThat(Money.of("0.10", "USD").plus(Money.of("0.20", "USD")).amount())
                .isEqualByComparingTo(new BigDecimal("0.30"));
        assertThatThrownBy(() -> Money.of("0.001", "USD")).hasMessageContaining("more than 2 decimals");
        assertThatThrownBy(() -> Money.of("1", "XYZ1")).hasMessageContaining("'XYZ1'");
    }

    @Test
    void funnelConversionComesFromTheStepCounts() {
        BusinessMetrics.Funnel f = business.funnel("checkout", "cart", "payment", "confirmed");
        for (int i = 0; i < 200; i++) {
            f.step("cart");
        }
        for (int i = 0; i < 50; i++) {
            f.step("payment");
        }
        for (int i = 0; i < 40; i++) {
            f.step("confirmed");
        }
        var conv = f.conversion(Duration.ofHours(1));
        assertThat(conv.get(1).fromPrevious()).isEqualTo(0.25);
        assertThat(conv.get(2).fromPrevious()).isEqualTo(0.8);
        assertThat(conv.get(2).fromFirst()).isEqualTo(0.2);
        assertThat(f.overall(Duration.ofHours(1), Duration.ZERO)).isEqualTo(0.2);
        business.refresh();
        assertThat(marty.sum("mmf_business_funnel_conversion_ratio", Map.of("funnel", "checkout", "step", "confirmed")))
                .isEqualTo(0.2);
        assertThatThrownBy(() -> business.funnel("checkout", "cart", "paid")).hasMessageContaining("already declared");
    }

    @Test
    void ordersCartsAndSessionsFeedTheirSeriesAndMetrics() {
        business.order(true, Money.of("10", "USD"), Duration.ofMillis(200), "web");
        business.order(false, Money.of("10", "USD"), Duration.ofSeconds(3), "web");
        business.cartCreated();
        business.cartCreated();
        business.cartAbandoned(Money.of("5", "USD"));
        business.session("u1", Duration.ofMinutes(3));
        assertThat(marty.sum("mmf_business_orders_total", Map.of("outcome", "failure")))
                .isEqualTo(1.0);
        assertThat(business.cartAbandonmentRate(Duration.ofHours(1))).isEqualTo(0.5);
        assertThat(business.aggregate("order_within_slo", Aggregation.AVG, Duration.ofHours(1), Duration.ZERO))
                .isEqualTo(0.5);
        assertThat(business.aggregate("order_duration", Aggregation.P99, Duration.ofHours(1), Duration.ZERO))
                .isEqualTo(3.0);
        assertThat(marty.sum("mmf_business_sessions_total", Map.of())).isEqualTo(1.0);
    }

    @Test
    void idsUsersAndAmountsCannotBecomeLabels() {
        for (String bad : new String[] {"user_id", "order_id", "amount", "cart_id", "email", "price", "session"}) {
            assertThatThrownBy(() -> business.eventType("signup", "plan", bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("mmf_business_event_signup_total");
        }
        BusinessMetrics.EventType signup = business.eventType("signup", "plan");
        signup.record("pro");
        assertThat(marty.sum("mmf_business_event_signup_total", Map.of("plan", "pro")))
                .isEqualTo(1.0);
    }

    @Test
    void activeUsersAreEstimatedWithinTheSketchErrorAndSlideWithTheWindow() {
        for (int i = 0; i < 20_000; i++) {
            business.activeUser("user-" + i);
            if (i % 1000 == 0) {
                business.activeUser("user-0"); // repeats do not count
            }
        }
        assertThat((double) business.activeUsers(Duration.ofMinutes(1))).isCloseTo(20_000, within(20_000 * 0.05));
        clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < 100; i++) {
            business.activeUser("late-" + i);
        }
        assertThat((double) business.activeUsers(Duration.ofMinutes(1))).isCloseTo(100, within(5.0));
        assertThat((double) business.activeUsers(Duration.ofHours(1))).isCloseTo(20_100, within(20_100 * 0.05));
        business.refresh();
        assertThat(marty.sum("mmf_business_active_users", Map.of("window", "1m")))
                .isCloseTo(100, within(5.0));
    }

    @Test
    void hyperLogLogStaysWithinThreeStandardErrorsOverManyCardinalities() {
        double se = 1.04 / Math.sqrt(4096);
        for (int n : new int[] {10, 1000, 10_000, 100_000, 500_000}) {
            HyperLogLog h = new HyperLogLog(12);
            for (int i = 0; i < n; i++) {
                h.add("id-" + n + "-" + i);
            }
            assertThat((double) h.estimate()).as("n=%d", n).isCloseTo(n, within(Math.max(1, 3 * se * n)));
        }
    }

    @Test
    void windowedSeriesAggregatesAndForgetsOldBuckets() {
        WindowedSeries s = WindowedSeries.builder()
                .clock(clock)
                .bucket(Duration.ofMinutes(1))
                .retention(Duration.ofMinutes(10))
                .samplesPerBucket(16)
                .build();
        for (int i = 1; i <= 10; i++) {
            s.record(i);
        }
        clock.advance(Duration.ofMinutes(1));
        s.record(100);
        assertThat(s.aggregate(Aggregation.SUM, Duration.ofMinutes(2))).isEqualTo(155);
        assertThat(s.aggregate(Aggregation.COUNT, Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(s.aggregate(Aggregation.AVG, Duration.ofMinutes(2))).isEqualTo(155 / 11.0);
        assertThat(s.aggregate(Aggregation.MIN, Duration.ofMinutes(2))).isEqualTo(1);
        assertThat(s.aggregate(Aggregation.MAX, Duration.ofMinutes(2))).isEqualTo(100);
        assertThat(s.aggregate(Aggregation.RATE, Duration.ofMinutes(2))).isEqualTo(155 / 120.0);
        assertThat(s.aggregate(Aggregation.P50, Duration.ofMinutes(2))).isEqualTo(6);
        assertThat(s.aggregate(Aggregation.SUM, Duration.ofMinutes(1), Duration.ofMinutes(1)))
                .isEqualTo(55);
        clock.advance(Duration.ofMinutes(30));
        assertThat(s.aggregate(Aggregation.SUM, Duration.ofMinutes(10), Duration.ofMinutes(0)))
                .isZero();
        assertThat(s.aggregate(Aggregation.AVG, Duration.ofMinutes(10))).isNaN();
    }

    @Test
    void kpiChecksCompareAnAggregateWithAThreshold() {
        business.order(true, Money.of("10", "USD"), Duration.ofMillis(200), "web");
        business.order(false, Money.of("10", "USD"), Duration.ofMillis(200), "web");
        KpiCheck errors = KpiCheck.of(
                "order_errors", "orders_failed", Aggregation.COUNT, Duration.ofMinutes(5), Comparison.LE, 0);
        KpiCheck.Result r = errors.evaluate(business);
        assertThat(r.passed()).isFalse();
        assertThat(r.value()).isEqualTo(1.0);
        assertThat(r.explanation()).contains("orders_failed").contains("<= 0");
        assertThat(KpiCheck.of(
                                "within_slo",
                                "order_within_slo",
                                Aggregation.AVG,
                                Duration.ofMinutes(5),
                                Comparison.GE,
                                0.5)
                        .evaluate(business)
                        .passed())
                .isTrue();
    }
}
