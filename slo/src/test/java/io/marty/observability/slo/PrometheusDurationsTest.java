package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusDurationsTest {
    @Test
    void usesTheLargestUnitThatDividesExactly() {
        assertThat(PrometheusDurations.format(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(PrometheusDurations.format(Duration.ofHours(6))).isEqualTo("6h");
        assertThat(PrometheusDurations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(PrometheusDurations.format(Duration.ofSeconds(61))).isEqualTo("61s");
        assertThat(PrometheusDurations.format(Duration.ofHours(25))).isEqualTo("25h");
    }

    @Test
    void dropsSubSecondParts() {
        assertThat(PrometheusDurations.format(Duration.ofMillis(300_500))).isEqualTo("5m");
    }
}
