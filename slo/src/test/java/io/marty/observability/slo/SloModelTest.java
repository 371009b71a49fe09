package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloModelTest {
    @Test
    void defaultSlosMatchTheSeeds() {
        List<Slo> d = DefaultSlos.forService("orders");
        assertThat(d)
                .extracting(Slo::toString)
                .containsExactly(
                        "orders/availability: availability 99.9% over 30d (critical)",
                        "orders/latency: latency <= 0.5s 95% over 7d (high)",
                        "orders/success-rate: error_rate 99% over 7d (high)");
        assertThat(d).allSatisfy(s -> assertThat(s.warnings()).isEmpty());
    }

    @Test
    void workbookTiersFor30dAndScaledForOtherWindows() {
        assertThat(AlertPolicy.workbookTiers(SloWindow.parse("30d")))
                .containsExactly(
                        new BurnRateTier("page", Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
                        new BurnRateTier("page", Duration.ofHours(6), Duration.ofMinutes(30), 6),
                        new BurnRateTier("ticket", Duration.ofDays(1), Duration.ofHours(2), 3),
                        new BurnRateTier("ticket", Duration.ofDays(3), Duration.ofHours(6), 1));
        assertThat(AlertPolicy.workbookTiers(SloWindow.parse("28d")))
                .extracting(BurnRateTier::factor)
                .containsExactly(13.44, 5.6, 2.8, 0.933333);
        assertThat(AlertPolicy.workbookTiers(SloWindow.parse("7d")))
                .extracting(BurnRateTier::factor)
                .containsExactly(3.36, 1.4, 0.7, 0.233333);
        // every tier keeps its share of the budget
        assertThat(AlertPolicy.workbookTiers(SloWindow.parse("28d")).get(0).budgetConsumed(SloWindow.parse("28d")))
                .isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
        // a 1-day SLO drops the 3-day tier
        assertThat(AlertPolicy.workbookTiers(SloWindow.parse("1d"))).hasSize(3);
    }

    @Test
    void builderRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> Slo.builder("a", "x").objectivePercent(100.5))
                .isInstanceOf(SloSpecException.class)
                .hasMessage("field 'objective': target 100.5% must be above 0% and below 100%");
        assertThatThrownBy(() -> Slo.builder("a", "x").objective(0))
                .hasMessage("field 'objective': target 0 must be a ratio above 0 and below 1 (e.g. 0.999)");
        assertThatThrownBy(() -> Slo.builder(null, "x").objectivePercent(99).build())
                .hasMessage("field 'service': missing service name (every SLO belongs to one service)");
        assertThatThrownBy(
                        () -> Slo.builder("a", "Bad Name").objectivePercent(99).build())
                .hasMessageStartingWith("field 'name': 'Bad Name' must be");
        assertThatThrownBy(() -> Slo.builder("a", "x").build())
                .hasMessage("field 'objective': missing target (e.g. 99.9%)");
        assertThatThrownBy(() -> SloWindow.parse("30x"))
                .hasMessage("'30x': unknown unit 'x' (use ms, s, m, h, d, w or ISO-8601 like PT5M)");
        assertThatThrownBy(() -> SloWindow.parse("0s")).hasMessage("'0s': must be positive");
        assertThatThrownBy(() -> SloWindow.parse("90d")).hasMessageContaining("out of range");
        assertThatThrownBy(
                        () -> Sli.builder(SliType.AVAILABILITY).protocol("ftp").build())
                .hasMessage("field 'protocol': 'ftp' is not http or grpc");
        assertThatThrownBy(() -> Slo.builder("a", "x")
                        .objectivePercent(99)
                        .window(SloWindow.parse("1d"))
                        .alertPolicy(AlertPolicy.workbookDefaults(SloWindow.parse("30d")))
                        .build())
                .hasMessage("field 'alerting': alert window 3d is longer than the SLO window 1d");
        assertThatThrownBy(() -> new BurnRateTier("page", Duration.ofMinutes(5), Duration.ofHours(1), 2))
                .hasMessageContaining("short window 1h must be shorter than the long window 5m");
        assertThatThrownBy(() -> Slo.builder("a", "x")
                        .objectivePercent(99)
                        .label("severity", "x")
                        .build())
                .hasMessageContaining("label name 'severity' is invalid or reserved");
    }

    @Test
    void lowObjectiveWarnsThatPagesCanNeverFire() {
        Slo s = Slo.builder("a", "low").objectivePercent(90).build();
        assertThat(s.warnings())
                .extracting(SloWarning::message)
                .anyMatch(m -> m.startsWith("page tier 14.4x over 1h and 5m can never fire"));
    }

    @Test
    void calendarWindowsStartAtTheCalendarBoundary() {
        SloWindow month = SloWindow.calendarMonth(ZoneId.of("UTC"));
        Instant now = Instant.parse("2026-11-26T01:30:00Z");
        assertThat(month.periodStart(now)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(month.periodEnd(now)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        SloWindow week = SloWindow.parse("calendar week");
        assertThat(week.periodStart(now)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(SloWindow.parse("7d").periodStart(now)).isEqualTo(Instant.parse("2026-11-19T01:30:00Z"));
    }
}
