package io.marty.observability.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DurationsTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("5m", Duration.ofMinutes(5)),
                Arguments.of("6h", Duration.ofHours(6)),
                Arguments.of("30d", Duration.ofDays(30)),
                Arguments.of("1w", Duration.ofDays(7)),
                Arguments.of("4w", Duration.ofDays(28)),
                Arguments.of("1h30m", Duration.ofMinutes(90)),
                Arguments.of("1d12h", Duration.ofHours(36)),
                Arguments.of("1w2d", Duration.ofDays(9)),
                Arguments.of("2m30s", Duration.ofSeconds(150)),
                Arguments.of("1s500ms", Duration.ofMillis(1500)),
                Arguments.of("2m 30s", Duration.ofSeconds(150)),
                Arguments.of(" 5m ", Duration.ofMinutes(5)),
                Arguments.of("1.5h", Duration.ofMinutes(90)),
                Arguments.of("0.25s", Duration.ofMillis(250)),
                Arguments.of("0", Duration.ZERO),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of("PT5M", Duration.ofMinutes(5)),
                Arguments.of("pt5m", Duration.ofMinutes(5)),
                Arguments.of("PT1H30M", Duration.ofMinutes(90)),
                Arguments.of("PT0.5S", Duration.ofMillis(500)),
                Arguments.of("P1D", Duration.ofDays(1)),
                Arguments.of("P1DT12H", Duration.ofHours(36)),
                Arguments.of("P1W", Duration.ofDays(7)),
                Arguments.of("P2W3D", Duration.ofDays(17)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("valid")
    void parsesEveryForm(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("5x", "'5x': unknown unit 'x' (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of("5M", "'5M': unknown unit 'M' (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of(
                        "5 minutes",
                        "'5 minutes': unknown unit 'minutes' (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of("300", "'300': missing unit (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of("1h30", "'1h30': missing unit (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of("h", "'h': unexpected 'h' (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of("5m,", "'5m,': unexpected ',' (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of("1.2.3s", "'1.2.3s': '1.2.3' is not a number"),
                Arguments.of("-5m", "'-5m': must not be negative"),
                Arguments.of("-PT5M", "'-PT5M': must not be negative"),
                Arguments.of("PT-5M", "'PT-5M': must not be negative"),
                Arguments.of(
                        "P1M", "'P1M': months and years have no fixed length (use days or weeks, e.g. P30D or P4W)"),
                Arguments.of(
                        "P1Y", "'P1Y': months and years have no fixed length (use days or weeks, e.g. P30D or P4W)"),
                Arguments.of("PT", "'PT': not an ISO-8601 duration (e.g. PT5M, PT1H30M, P1D, P1W)"),
                Arguments.of("P5", "'P5': not an ISO-8601 duration (e.g. PT5M, PT1H30M, P1D, P1W)"),
                Arguments.of("0.5ns", "'0.5ns': unknown unit 'ns' (use ms, s, m, h, d, w or ISO-8601 like PT5M)"),
                Arguments.of("0.0000000001s", "'0.0000000001s': finer than a nanosecond"),
                Arguments.of("999999999w", "'999999999w': too large (at most 292 years)"),
                Arguments.of(
                        "", "empty duration (use ms, s, m, h, d, w or ISO-8601 like PT5M, e.g. 500ms, 5m, 1h30m, 7d)"),
                Arguments.of(
                        "  ",
                        "empty duration (use ms, s, m, h, d, w or ISO-8601 like PT5M, e.g. 500ms, 5m, 1h30m, 7d)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithAMessageNamingTheInput(String text, String message) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void positiveAcceptsAllButZero(String text, Duration expected) {
        if (expected.isZero()) {
            assertThatThrownBy(() -> Durations.parsePositive(text)).hasMessage("'" + text + "': must be positive");
        } else {
            assertThat(Durations.parsePositive(text)).isEqualTo(expected);
        }
    }

    static Stream<Arguments> formatted() {
        return Stream.of(
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(Duration.ofMillis(1500), "1500ms"),
                Arguments.of(Duration.ofSeconds(61), "61s"),
                Arguments.of(Duration.ofMinutes(90), "90m"),
                Arguments.of(Duration.ofHours(25), "25h"),
                Arguments.of(Duration.ofDays(30), "30d"),
                Arguments.of(Duration.ofDays(7), "7d"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("formatted")
    void formatsInTheLargestExactUnitAndReadsBack(Duration d, String text) {
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(d);
    }
}
