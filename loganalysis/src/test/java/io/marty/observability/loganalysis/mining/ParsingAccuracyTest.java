package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-computed cases of eval_grouping.py's self test, so both scorers agree. */
class ParsingAccuracyTest {
    private static final List<String> TRUTH = List.of("A", "A", "A", "B", "B", "C");

    private static double f1(double p, double r) {
        return 2 * p * r / (p + r);
    }

    @Test
    void groupingAccuracy() {
        ParsingAccuracy perfect = ParsingAccuracy.score(TRUTH, List.of("x", "x", "x", "y", "y", "z"), TRUTH);
        assertThat(perfect.ga()).isEqualTo(1.0);
        assertThat(perfect.fga()).isEqualTo(1.0);
        assertThat(perfect.pa()).isEqualTo(1.0);
        assertThat(perfect.fta()).isEqualTo(1.0);

        ParsingAccuracy merged = ParsingAccuracy.score(TRUTH, List.of(1, 1, 1, 2, 2, 2), TRUTH);
        assertThat(merged.ga()).isEqualTo(0.5);
        assertThat(merged.fga()).isCloseTo(f1(1 / 2.0, 1 / 3.0), within(1e-12));

        ParsingAccuracy split = ParsingAccuracy.score(TRUTH, List.of(1, 1, 9, 2, 2, 3), TRUTH);
        assertThat(split.ga()).isEqualTo(0.5);
        assertThat(split.fga()).isCloseTo(f1(2 / 4.0, 2 / 3.0), within(1e-12));
        assertThat(split.predictedGroups()).isEqualTo(4);
        assertThat(split.trueGroups()).isEqualTo(3);
    }

    @Test
    void templateAccuracy() {
        List<String> truth = List.of("a <*>", "a <*>", "b");
        ParsingAccuracy r = ParsingAccuracy.score(truth, List.of(1, 1, 2), List.of("a <*>", "a <*>", "b c"));
        assertThat(r.pa()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.fta()).isCloseTo(f1(1 / 2.0, 1 / 2.0), within(1e-12));
        ParsingAccuracy mixed = ParsingAccuracy.score(truth, List.of(1, 1, 1), List.of("a <*>", "a <*>", "a <*>"));
        assertThat(mixed.fta()).isEqualTo(0.0);
        assertThat(mixed.pa()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void rejectsMisalignedInput() {
        assertThatThrownBy(() -> ParsingAccuracy.score(List.of("a"), List.of(), List.of("a")))
                .hasMessageContaining("truth 1, groups 0");
    }
}
