package io.marty.observability.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSupportTest {
    @Test
    void absentOrEmptyParametersTakeTheDefault() {
        Map<String, String> q = Map.of("limit", "");
        assertThat(HttpSupport.intParam(q, "limit", 100, 1000)).isEqualTo(100);
        assertThat(HttpSupport.longParam(q, "after")).isZero();
        assertThat(HttpSupport.doubleParam(q, "minDurationMs")).isZero();
    }

    @Test
    void parsesAndCapsValues() {
        Map<String, String> q = Map.of("limit", "5000", "after", "-7", "minDurationMs", "2.5");
        assertThat(HttpSupport.intParam(q, "limit", 100, 1000)).isEqualTo(1000);
        assertThat(HttpSupport.longParam(q, "after")).isEqualTo(-7);
        assertThat(HttpSupport.doubleParam(q, "minDurationMs")).isEqualTo(2.5);
    }

    @Test
    void badValuesAnswer400NamingTheParameterAndValue() {
        assertThatThrownBy(() -> HttpSupport.intParam(Map.of("limit", "-1"), "limit", 100, 1000))
                .isInstanceOfSatisfying(
                        HttpSupport.HttpError.class, e -> assertThat(e.status).isEqualTo(400))
                .hasMessage("query parameter 'limit' must be a non-negative integer, got '-1'");
        assertThatThrownBy(() -> HttpSupport.longParam(Map.of("after", "x"), "after"))
                .hasMessage("query parameter 'after' must be an integer, got 'x'");
        assertThatThrownBy(() -> HttpSupport.doubleParam(Map.of("minDurationMs", "Infinity"), "minDurationMs"))
                .hasMessage("query parameter 'minDurationMs' must be a non-negative number, got 'Infinity'");
        assertThatThrownBy(() -> HttpSupport.doubleParam(Map.of("minDurationMs", "NaN"), "minDurationMs"))
                .hasMessage("query parameter 'minDurationMs' must be a non-negative number, got 'NaN'");
    }
}
