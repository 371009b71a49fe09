package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.testing.ManualClock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class SloTrackerTest {
    private static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
    private final ManualClock clock = new ManualClock(T0);

    private SloTracker tracker(List<Slo> slos) {
        return SloTracker.builder().clock(clock).slos(slos).build();
    }

    /** {@code perMinute} requests each minute for {@code minutes}, {@code bad} of them server errors. */
    private void traffic(SloTracker t, String service, int minutes, long perMinute, long bad) {
        for (int m = 0; m < minutes; m++) {
            t.record(service, "http", "server", "GET", "/a", "success", 0.01, perMinute - bad);
            t.record(service, "http", "server", "GET", "/a", "server_error", 0.01, bad);
            clock.advance(Duration.ofMinutes(1));
        }
    }

    @Test
    void complianceBudgetAndBurnRate() {
        SloTracker t = tracker(DefaultSlos.forService("orders"));
        traffic(t, "orders", 120, 1000, 2); // 0.2 % errors = 2x burn on a 99.9 % SLO
        SloStatus s = t.status("orders/availability");
        assertThat(s.totalEvents()).isEqualTo(120_000);
        assertThat(s.badEvents()).isEqualTo(240);
        assertThat(s.compliance()).isCloseTo(0.998, offset(1e-12));
        assertThat(s.burnRate(Duration.ofHours(1))).isCloseTo(2.0, offset(1e-9));
        assertThat(t.burnRate("orders/availability", Duration.ofMinutes(5))).isCloseTo(2.0, offset(1e-9));
        // over the period so far the error ratio is twice the budget: remaining = 1 - 2 = -1
        assertThat(s.budgetRemaining()).isCloseTo(-1.0, offset(1e-9));
        assertThat(s.budgetRemainingEvents()).isCloseTo(120 - 240, offset(1e-6));
        assertThat(s.state()).isEqualTo("exhausted");
        assertThat(s.projectedExhaustion()).isEqualTo(clock.instant());
        // a latency SLO sees these fast requests as good, the success-rate SLO sees the errors
        assertThat(t.status("orders/latency").badEvents()).isZero();
        assertThat(t.status("orders/success-rate").badEvents()).isEqualTo(240);
    }

    @Test
    void observedSinceIsTheFirstEventOfEachSlo() {
        SloTracker t = tracker(DefaultSlos.forService("orders"));
        assertThat(t.observedSince("orders/availability")).isNull();
        clock.advance(Duration.ofSeconds(42));
        Instant first = clock.instant();
        traffic(t, "orders", 3, 10, 1);
        t.recordEvents("orders/availability", 5, 0);
        assertThat(t.observedSince("orders/availability")).isEqualTo(first);
        assertThatThrownBy(() -> t.observedSince("nope")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void projectedExhaustionFollowsTheBurnRate() {
        Slo slo = Slo.builder("a", "avail")
                .objectivePercent(99)
                .window(SloWindow.parse("30d"))
                .build();
        SloTracker t = tracker(List.of(slo));
        traffic(t, "a", 60 * 24, 100, 0); // one clean day
        traffic(t, "a", 60, 100, 5); // one hour at 5x burn (5 % errors)
        SloStatus s = t.status("a/avail");
        assertThat(s.burnRate(Duration.ofHours(1))).isCloseTo(5.0, offset(1e-9));
        double remaining = 1 - (300.0 / (100 * 60 * 25)) / 0.01;
        assertThat(s.budgetRemaining()).isCloseTo(remaining, offset(1e-9));
        long expectSeconds = (long) (remaining * 30 * 86_400 / 5.0);
        assertThat(Duration.between(s.at(), s.projectedExhaustion()).getSeconds())
                .isCloseTo(expectSeconds, org.assertj.core.data.Offset.offset(1L));
    }

    @Test
    void multiWindowAlertStates() {
        SloTracker t = tracker(DefaultSlos.forService("orders"));
        traffic(t, "orders", 6 * 60, 1000, 0); // 6 clean hours
        assertThat(t.status("orders/availability").state()).isEqualTo("ok");
        // total outage for 1 minute: 5m ratio 20 % and 1h ratio 1/61 > 1.44 % -> page
        traffic(t, "orders", 1, 1000, 1000);
        SloStatus s = t.status("orders/availability");
        assertThat(s.firing("page")).isTrue();
        assertThat(s.tiers().get(0).firing()).isTrue();
        assertThat(s.tiers().get(0).threshold()).isEqualTo(0.0144);
        // 10 clean minutes later the 5m window is clean again: the page resets although the 1h one is still hot
        traffic(t, "orders", 10, 1000, 0);
        s = t.status("orders/availability");
        assertThat(s.errorRatios().get(Duration.ofHours(1))).isGreaterThan(0.0144);
        assertThat(s.firing("page")).isFalse();
    }

    @Test
    void slowBurnOnlyTickets() {
        SloTracker t = tracker(DefaultSlos.forService("orders"));
        traffic(t, "orders", 180, 1000, 4); // 4x burn: above 3x and 1x, below 6x and 14.4x
        SloStatus s = t.status("orders/availability");
        assertThat(s.firing("page")).isFalse();
        assertThat(s.firing("ticket")).isTrue();
        assertThat(s.state()).isEqualTo("exhausted"); // 0.4 % errors over the period so far
    }

    @Test
    void noTrafficMeansNoAlertAndFullBudget() {
        SloTracker t = tracker(DefaultSlos.forService("orders"));
        SloStatus s = t.status("orders/availability");
        assertThat(s.compliance()).isNaN();
        assertThat(s.budgetRemaining()).isEqualTo(1.0);
        assertThat(s.state()).isEqualTo("ok");
        assertThat(s.projectedExhaustion()).isNull();
        t.record("unknown", "http", "server", "GET", "/", "server_error", 1); // ignored, no exception
        assertThatThrownBy(() -> t.status("orders/nope")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void filtersAndLatencyThresholdSelectRequests() {
        Slo slo = Slo.builder("a", "pay-latency")
                .sli(Sli.latency(0.25).toBuilder().route("/pay").method("POST").build())
                .objectivePercent(99)
                .window(SloWindow.parse("7d"))
                .build();
        SloTracker t = tracker(List.of(slo));
        t.record("a", "http", "server", "POST", "/pay", "success", 0.25); // on the bound: good (le is inclusive)
        t.record("a", "http", "server", "POST", "/pay", "success", 0.3); // slow
        t.record("a", "http", "server", "GET", "/pay", "success", 3); // other method
        t.record("a", "http", "client", "POST", "/pay", "success", 3); // client side
        SloStatus s = t.status("a/pay-latency");
        assertThat(s.totalEvents()).isEqualTo(2);
        assertThat(s.badEvents()).isEqualTo(1);
    }

    @Test
    void memoryIsBoundedAndOldMinutesExpire() {
        Slo slo = Slo.builder("a", "avail")
                .objectivePercent(99)
                .window(SloWindow.parse("1d"))
                .build();
        SloTracker t = tracker(List.of(slo));
        traffic(t, "a", 10, 100, 50);
        clock.advance(Duration.ofDays(2));
        traffic(t, "a", 10, 100, 0);
        SloStatus s = t.status("a/avail");
        assertThat(s.totalEvents()).isEqualTo(1000);
        assertThat(s.badEvents()).isZero();
        // events for a minute the ring no longer holds are counted and dropped
        clock.set(T0);
        t.recordEvents("a/avail", 5, 1);
        assertThat(t.lateEvents()).isEqualTo(5);
    }

    @Test
    void calendarMonthCountsFromTheFirstOfTheMonth() {
        Slo slo = Slo.builder("a", "monthly")
                .objectivePercent(99)
                .window(SloWindow.calendarMonth(java.time.ZoneOffset.UTC))
                .build();
        SloTracker t = tracker(List.of(slo));
        clock.set(Instant.parse("2026-10-31T23:00:00Z"));
        traffic(t, "a", 30, 100, 100); // October: all bad
        clock.set(Instant.parse("2026-11-01T00:00:00Z"));
        traffic(t, "a", 30, 100, 0);
        SloStatus s = t.status("a/monthly");
        assertThat(s.periodStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(s.totalEvents()).isEqualTo(3000);
        assertThat(s.badEvents()).isZero();
    }

    @Test
    void jsonReportAndMetrics() throws Exception {
        SloTracker t = tracker(DefaultSlos.forService("orders"));
        traffic(t, "orders", 30, 1000, 1);
        JsonNode report = new ObjectMapper().readTree(t.reportJson());
        assertThat(report.get("slos")).hasSize(3);
        JsonNode a = report.get("slos").get(0);
        assertThat(a.get("id").asText()).isEqualTo("orders/availability");
        assertThat(a.get("total_events").asLong()).isEqualTo(30_000);
        assertThat(a.get("burn_rates").get("1h").asDouble()).isCloseTo(1.0, offset(1e-9));
        assertThat(a.get("alerts")).hasSize(4);
        assertThat(a.get("alerts").get(0).get("severity").asText()).isEqualTo("page");

        PrometheusRegistry registry = new PrometheusRegistry();
        SloMetrics.register(t, registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("mmf_slo_objective_ratio{service=\"orders\",slo=\"availability\"} 0.999")
                .contains("mmf_slo_burn_rate{service=\"orders\",slo=\"availability\",window=\"1h\"} 1.0")
                .contains("mmf_slo_alert_firing{service=\"orders\",severity=\"page\",slo=\"availability\"} 0.0")
                .contains("mmf_slo_events_total{result=\"bad\",service=\"orders\",slo=\"availability\"} 30.0")
                .contains("mmf_slo_error_budget_remaining_ratio{service=\"orders\",slo=\"availability\"} 0.0")
                .contains("mmf_slo_compliance_ratio{service=\"orders\",slo=\"availability\"} 0.999");
    }
}
