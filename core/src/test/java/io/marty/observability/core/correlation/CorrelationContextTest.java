package io.marty.observability.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

class CorrelationContextTest {

    @Test
    void absentContextIsEmptyNotNull() {
        assertThat(CorrelationContext.fromContext(Context.root())).isSameAs(CorrelationContext.EMPTY);
        assertThat(CorrelationContext.fromContext(null).isEmpty()).isTrue();
        assertThat(Correlation.currentCorrelationId()).isEmpty();
    }

    @Test
    void childKeepsCorrelationAndLinksParent() {
        CorrelationContext root =
                CorrelationContext.newRoot().toBuilder().userId("u").build();
        CorrelationContext child = root.newChild();
        assertThat(child.correlationId()).isEqualTo(root.correlationId());
        assertThat(child.parentRequestId()).isEqualTo(root.requestId());
        assertThat(child.requestId()).isNotEqualTo(root.requestId());
        assertThat(child.userId()).isEqualTo("u");
        assertThat(CorrelationContext.EMPTY.newChild().correlationId()).isNotNull();
    }

    @Test
    void storedInOtelContextAndRestored() {
        CorrelationContext c = CorrelationContext.newRoot();
        try (Scope ignored = c.makeCurrent()) {
            assertThat(CorrelationContext.current()).isSameAs(c);
            assertThat(Correlation.currentCorrelationId()).contains(c.correlationId());
            assertThat(Correlation.currentRequestId()).contains(c.requestId());
        }
        assertThat(CorrelationContext.current().isEmpty()).isTrue();
    }

    @Test
    void withCorrelationRunsInChildWithOperation() throws Exception {
        CorrelationContext outer = CorrelationContext.newRoot();
        try (Scope ignored = outer.makeCurrent()) {
            CorrelationContext inner = Correlation.withCorrelation("charge", CorrelationContext::current);
            assertThat(inner.correlationId()).isEqualTo(outer.correlationId());
            assertThat(inner.parentRequestId()).isEqualTo(outer.requestId());
            assertThat(inner.operationId()).isEqualTo("charge");
            assertThat(CorrelationContext.current()).isSameAs(outer);
            Correlation.withCorrelation(
                    "refund", () -> assertThat(Correlation.currentOperationId()).contains("refund"));
        }
        // without an outer context a new correlation id is minted
        String minted = Correlation.withCorrelation(
                "job", () -> Correlation.currentCorrelationId().orElseThrow());
        assertThat(minted).hasSize(36);
    }

    @Test
    void asMapUsesMdcKeysInOrder() {
        CorrelationContext c = CorrelationContext.builder()
                .correlationId("c")
                .requestId("r")
                .sessionId("s")
                .build();
        assertThat(c.asMap())
                .containsExactly(
                        java.util.Map.entry("correlation_id", "c"),
                        java.util.Map.entry("request_id", "r"),
                        java.util.Map.entry("session_id", "s"));
        assertThat(c)
                .isEqualTo(c.toBuilder().build())
                .hasSameHashCodeAs(c.toBuilder().build());
    }

    @Test
    void idsAreUuidShaped() {
        String id = CorrelationContext.newId();
        assertThat(java.util.UUID.fromString(id).version()).isEqualTo(4);
        assertThat(CorrelationContext.newId()).isNotEqualTo(id);
    }
}
