package io.marty.observability.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.failure.InstrumentationErrors;
import org.junit.jupiter.api.Test;

/** The running instance exposes instrumentation failures per service and component. */
class InstrumentationErrorsExposureTest {

    @Test
    void isExposedPerServiceAndComponentByTheRunningInstance() {
        try (MartyTesting marty = MartyTesting.start("orders");
                LogCapture ignored = new LogCapture()) {
            assertThat(InstrumentationErrors.current())
                    .isSameAs(marty.observability().metrics().instrumentationErrors());
            InstrumentationErrors.current().record(InstrumentationErrors.CONTEXT, "x", new RuntimeException());
            assertThat(marty.instrumentationErrors("context")).isEqualTo(1);
            assertThat(marty.instrumentationErrors("http_server")).isZero();
            assertThat(marty.labelValues("mmf_instrumentation_errors", "service"))
                    .containsExactly("orders");
        }
    }
}
