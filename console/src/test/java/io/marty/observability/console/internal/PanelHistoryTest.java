package io.marty.observability.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.console.ConsoleAlert;
import io.marty.observability.console.ConsoleSloStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLO coverage and the insufficient-data rule, window names, and alert intervals. */
class PanelHistoryTest {

    @Test
    void windowNames() {
        assertThat(PanelHistory.seconds("5m")).isEqualTo(300);
        assertThat(PanelHistory.seconds("1h30m")).isEqualTo(5400);
        assertThat(PanelHistory.seconds("30d")).isEqualTo(2_592_000);
        assertThat(PanelHistory.seconds("fast")).isEqualTo(-1);
        assertThat(PanelHistory.seconds("5m x")).isEqualTo(-1);
    }

    @Test
    void noStateBeforeTheShortestWindowIsCoveredThenTheSourcesState() {
        Map<String, Double> burn = Map.of("5m", 40.0, "1h", 40.0);
        Map<String, Object> early = PanelHistory.view(
                new ConsoleSloStatus("a", "s", 0.999, 0.96, -39, burn, "CRITICAL", 2_592_000, 299, ""));
        assertThat(early.get("state")).isEqualTo("INSUFFICIENT_DATA");
        assertThat((String) early.get("reason")).contains("4 min observed").contains("5m");
        assertThat(early.get("budgetKnown")).isEqualTo(false);
        assertThat(early.get("burnWindowCoverage")).isEqualTo(Map.of("5m", 299 / 300.0, "1h", 299 / 3600.0));

        Map<String, Object> covered = PanelHistory.view(
                new ConsoleSloStatus("a", "s", 0.999, 0.96, -39, burn, "CRITICAL", 2_592_000, 300, ""));
        assertThat(covered.get("state")).isEqualTo("CRITICAL");
        assertThat(covered.get("budgetKnown")).isEqualTo(false);

        // a source that says nothing about coverage is shown as it is
        Map<String, Object> unknown =
                PanelHistory.view(new ConsoleSloStatus("a", "s", 0.999, 0.96, -39, burn, "CRITICAL"));
        assertThat(unknown.get("state")).isEqualTo("CRITICAL");
        assertThat(unknown.get("budgetKnown")).isEqualTo(true);
    }

    @Test
    void alertsBecomeIntervalsThatResolve() {
        List<ConsoleAlert> firing = new ArrayList<>();
        PanelHistory h = new PanelHistory(null, () -> firing);
        long t = 1_000_000_000L;
        firing.add(new ConsoleAlert("x", "warning", "svc", "m", t, "", ""));
        h.sample(t);
        h.sample(t + 2000);
        firing.clear();
        h.sample(t + 4000);
        // an event-like alert older than the firing horizon is not firing
        firing.add(new ConsoleAlert("old", "info", "svc", "m", t + 4000 - PanelHistory.EVENT_ALERT_MILLIS - 1, "", ""));
        h.sample(t + 6000);
        assertThat(h.alertIntervals()).singleElement().satisfies(iv -> {
            assertThat(iv).containsEntry("name", "x").containsEntry("open", false);
            assertThat(iv).containsEntry("start", t).containsEntry("end", t + 4000);
        });
    }
}
