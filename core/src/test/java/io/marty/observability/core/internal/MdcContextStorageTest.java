package io.marty.observability.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MdcKeys;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The MDC view as logging events see it, on Logback's direct-map path and on the MDC API path. */
class MdcContextStorageTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("mdc-view-test");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void attachAppender() {
        MdcContextStorage.install();
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void detachAppender() {
        logger.detachAppender(events);
    }

    @Test
    void logbackMapIsWrittenDirectly() {
        assertThat(MdcContextStorage.LogbackMdc.direct()).isTrue();
    }

    @Test
    void eventsCarryTheViewOfEachRequestAndNothingAfterIt() throws Exception {
        // a fresh thread has no MDC map yet: its first attach goes through the MDC API, the
        // following ones write Logback's map directly; events must not tell them apart
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                for (int request = 0; request < 3; request++) {
                    CorrelationContext correlation = CorrelationContext.newRoot();
                    SpanContext span = SpanContext.create(
                            "0af7651916cd43dd8448eb211c80319" + request,
                            "b7ad6b716920333" + request,
                            TraceFlags.getDefault(),
                            TraceState.getDefault());
                    try (Scope ignored = Context.root()
                            .with(correlation)
                            .with(Span.wrap(span))
                            .makeCurrent()) {
                        logger.info("inside");
                    }
                    logger.info("after");
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        worker.join(10_000);
        assertThat(failure.get()).isNull();

        List<ILoggingEvent> logged = events.list;
        assertThat(logged).hasSize(6);
        for (int request = 0; request < 3; request++) {
            Map<String, String> inside = logged.get(request * 2).getMDCPropertyMap();
            assertThat(inside.get(MdcKeys.TRACE_ID)).isEqualTo("0af7651916cd43dd8448eb211c80319" + request);
            assertThat(inside.get(MdcKeys.SPAN_ID)).isEqualTo("b7ad6b716920333" + request);
            assertThat(inside.get(MdcKeys.CORRELATION_ID)).isNotNull();
            assertThat(inside.get(MdcKeys.REQUEST_ID)).isNotNull();
            if (request > 0) {
                assertThat(inside.get(MdcKeys.REQUEST_ID))
                        .isNotEqualTo(
                                logged.get(request * 2 - 2).getMDCPropertyMap().get(MdcKeys.REQUEST_ID));
            }
            Map<String, String> after = logged.get(request * 2 + 1).getMDCPropertyMap();
            for (String key : MdcKeys.ALL) {
                assertThat(after)
                        .as("request %d, %s after the scope", request, key)
                        .doesNotContainKey(key);
            }
        }
    }
}
