package io.marty.observability.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.internal.MdcContextStorage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class MdcSyncTest {

    @Test
    void mdcMirrorsTheCurrentContextAndIsRestoredOnClose() {
        assertThat(MdcContextStorage.isActive()).isTrue();
        CorrelationContext outer =
                CorrelationContext.newRoot().toBuilder().userId("u-1").build();
        SpanContext sc = SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        try (Scope a = Context.current().with(outer).with(Span.wrap(sc)).makeCurrent()) {
            assertThat(MDC.get("correlation_id")).isEqualTo(outer.correlationId());
            assertThat(MDC.get("request_id")).isEqualTo(outer.requestId());
            assertThat(MDC.get("user_id")).isEqualTo("u-1");
            assertThat(MDC.get("trace_id")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(MDC.get("span_id")).isEqualTo("b7ad6b7169203331");
            CorrelationContext inner = outer.newChild().toBuilder().userId(null).build();
            try (Scope b = inner.makeCurrent()) {
                assertThat(MDC.get("request_id")).isEqualTo(inner.requestId());
                assertThat(MDC.get("parent_request_id")).isEqualTo(outer.requestId());
                assertThat(MDC.get("user_id")).isNull();
                assertThat(MDC.get("trace_id")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            }
            assertThat(MDC.get("request_id")).isEqualTo(outer.requestId());
            assertThat(MDC.get("parent_request_id")).isNull();
            assertThat(MDC.get("user_id")).isEqualTo("u-1");
        }
        for (String key : MdcKeys.ALL) {
            assertThat(MDC.get(key)).as(key).isNull();
        }
    }

    @Test
    void otherMdcKeysAreLeftAlone() {
        MDC.put("tenant", "acme");
        try (Scope s = CorrelationContext.newRoot().makeCurrent()) {
            assertThat(MDC.get("tenant")).isEqualTo("acme");
        }
        assertThat(MDC.get("tenant")).isEqualTo("acme");
        MDC.remove("tenant");
    }
}
