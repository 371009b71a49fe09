package io.marty.observability.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.MartyObservability;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MartyObservabilityExtensionTest {
    private static MartyTesting fromFirstTest;

    @RegisterExtension
    final MartyObservabilityExtension marty = MartyObservabilityExtension.create("extension-test");

    private MartyObservability seenByBeforeEach;

    @BeforeEach
    void startedBeforeBeforeEachMethods() {
        seenByBeforeEach = marty.observability();
        assertThat(seenByBeforeEach.isClosed()).isFalse();
    }

    @Test
    @Order(1)
    void givesTheTestARunningInstance() {
        assertThat(marty.observability()).isSameAs(seenByBeforeEach);
        assertThat(MartyObservability.current()).containsSame(marty.observability());
        marty.observability()
                .openTelemetry()
                .getTracer("t")
                .spanBuilder("first")
                .startSpan()
                .end();
        marty.observability()
                .openTelemetry()
                .getLogsBridge()
                .get("t")
                .logRecordBuilder()
                .setBody("first")
                .emit();
        assertThat(marty.spans()).extracting(SpanData::getName).containsExactly("first");
        assertThat(marty.logs()).hasSize(1);
        assertThat(marty.metricsText()).contains("service=\"extension-test\"");
        fromFirstTest = marty.testing();
    }

    @Test
    @Order(2)
    void closesItAfterTheTestAndStartsAFreshOne() {
        assertThat(fromFirstTest).isNotNull();
        assertThat(fromFirstTest.observability().isClosed()).isTrue();
        assertThat(marty.testing()).isNotSameAs(fromFirstTest);
        assertThat(marty.spans()).isEmpty();
        assertThat(marty.logs()).isEmpty();
    }

    @Test
    @Order(3)
    void outsideATestItSaysHowToUseIt() {
        MartyObservabilityExtension unused = MartyObservabilityExtension.create();
        assertThatThrownBy(unused::testing)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
    }

    @AfterAll
    static void nothingKeepsRunning() {
        assertThat(MartyObservability.current()).isEmpty();
    }
}
