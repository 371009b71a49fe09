package io.marty.observability.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.MartyPropagators;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MmfPropagatorTest {
    static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final MmfPropagator propagator = MmfPropagator.getInstance();

    @Test
    void injectWritesEverySetDimension() {
        CorrelationContext c = CorrelationContext.builder()
                .correlationId("corr-1")
                .requestId("req-1")
                .parentRequestId("req-0")
                .userId("u-1")
                .pluginId("plug")
                .build();
        Map<String, String> headers = new LinkedHashMap<>();
        propagator.inject(Context.root().with(c), headers, Map::put);
        assertThat(headers)
                .containsOnly(
                        Map.entry("X-MMF-Correlation-ID", "corr-1"),
                        Map.entry("X-MMF-Request-ID", "req-1"),
                        Map.entry("X-MMF-User-ID", "u-1"),
                        Map.entry("X-MMF-Plugin-ID", "plug"));
    }

    @Test
    void extractKeepsCorrelationAndMakesCallerRequestTheParent() {
        Map<String, String> headers = Map.of(
                "X-MMF-Correlation-ID", "corr-1",
                "X-MMF-Request-ID", "req-caller",
                "X-MMF-User-ID", "u-1",
                "X-MMF-Session-ID", "s-1",
                "X-MMF-Operation-ID", "op",
                "X-MMF-Plugin-ID", "plug");
        CorrelationContext c = CorrelationContext.fromContext(propagator.extract(Context.root(), headers, GETTER));
        assertThat(c.correlationId()).isEqualTo("corr-1");
        assertThat(c.parentRequestId()).isEqualTo("req-caller");
        assertThat(c.requestId()).isNotEqualTo("req-caller").hasSize(36);
        assertThat(c.userId()).isEqualTo("u-1");
        assertThat(c.sessionId()).isEqualTo("s-1");
        assertThat(c.operationId()).isEqualTo("op");
        assertThat(c.pluginId()).isEqualTo("plug");
    }

    @Test
    void extractFindsLowerCaseHeaders() {
        Map<String, String> grpcStyle = Map.of("x-mmf-correlation-id", "corr-lc", "x-mmf-user-id", "u");
        CorrelationContext c = CorrelationContext.fromContext(propagator.extract(Context.root(), grpcStyle, GETTER));
        assertThat(c.correlationId()).isEqualTo("corr-lc");
        assertThat(c.userId()).isEqualTo("u");
    }

    @Test
    void legacyHeaderIsRead() {
        CorrelationContext c = CorrelationContext.fromContext(
                propagator.extract(Context.root(), Map.of("X-Correlation-ID", "legacy-1"), GETTER));
        assertThat(c.correlationId()).isEqualTo("legacy-1");
        CorrelationContext lc = CorrelationContext.fromContext(
                propagator.extract(Context.root(), Map.of("x-correlation-id", "legacy-2"), GETTER));
        assertThat(lc.correlationId()).isEqualTo("legacy-2");
    }

    @Test
    void missingCorrelationIdIsGenerated() {
        CorrelationContext c = CorrelationContext.fromContext(propagator.extract(Context.root(), Map.of(), GETTER));
        assertThat(c.correlationId()).hasSize(36);
        assertThat(c.requestId()).hasSize(36).isNotEqualTo(c.correlationId());
        assertThat(c.parentRequestId()).isNull();

        Context untouched = MmfPropagator.create(false).extract(Context.root(), Map.of(), GETTER);
        assertThat(CorrelationContext.fromContext(untouched).isEmpty()).isTrue();
    }

    @Test
    void invalidValuesAreReplacedAndCounted() {
        long before = MmfPropagator.invalidValueCount();
        Map<String, String> headers = new HashMap<>();
        headers.put("X-MMF-Correlation-ID", "abc\r\nSet-Cookie: x=1");
        headers.put("X-MMF-User-ID", "x".repeat(129));
        headers.put("X-MMF-Session-ID", "with space");
        headers.put("X-MMF-Plugin-ID", "caf\u00e9");
        headers.put("X-MMF-Operation-ID", "x".repeat(128));
        CorrelationContext c = CorrelationContext.fromContext(propagator.extract(Context.root(), headers, GETTER));
        assertThat(c.correlationId()).hasSize(36).doesNotContain("Set-Cookie");
        assertThat(c.userId()).isNull();
        assertThat(c.sessionId()).isNull();
        assertThat(c.pluginId()).isNull();
        assertThat(c.operationId()).hasSize(128);
        assertThat(MmfPropagator.invalidValueCount() - before).isEqualTo(4);
    }

    @Test
    void headerValidation() {
        assertThat(MmfHeaders.isValidValue("0af7651916cd43dd")).isTrue();
        assertThat(MmfHeaders.isValidValue("")).isFalse();
        assertThat(MmfHeaders.isValidValue(null)).isFalse();
        assertThat(MmfHeaders.isValidValue("a\tb")).isFalse();
        assertThat(MmfHeaders.isValidValue("~!@#$%^&*()")).isTrue();
    }

    @Test
    void compositeCarriesTraceContextBaggageAndMmfTogether() {
        TextMapPropagator composite = MartyPropagators.defaultTextMapPropagator();
        Map<String, String> in = Map.of(
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "baggage", "tenant=acme",
                "X-MMF-Correlation-ID", "corr-9",
                "X-MMF-Request-ID", "req-a");
        Context extracted = composite.extract(Context.root(), in, GETTER);
        SpanContext remote = Span.fromContext(extracted).getSpanContext();
        assertThat(remote.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(remote.isRemote()).isTrue();
        assertThat(io.opentelemetry.api.baggage.Baggage.fromContext(extracted).getEntryValue("tenant"))
                .isEqualTo("acme");
        CorrelationContext c = CorrelationContext.fromContext(extracted);
        assertThat(c.correlationId()).isEqualTo("corr-9");
        assertThat(c.parentRequestId()).isEqualTo("req-a");

        Map<String, String> out = new HashMap<>();
        composite.inject(extracted, out, Map::put);
        assertThat(out)
                .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .containsEntry("baggage", "tenant=acme")
                .containsEntry("X-MMF-Correlation-ID", "corr-9")
                .containsEntry("X-MMF-Request-ID", c.requestId());
        assertThat(composite.fields()).contains("traceparent", "baggage", "X-MMF-Correlation-ID");
    }

    @Test
    void b3IsAddedWhenConfigured() {
        TextMapPropagator withB3 = MartyPropagators.textMapPropagator(true, false);
        Context ctx = withB3.extract(
                Context.root(), Map.of("b3", "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1"), GETTER);
        assertThat(Span.fromContext(ctx).getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        Map<String, String> out = new HashMap<>();
        withB3.inject(ctx, out, Map::put);
        assertThat(out).containsKey("b3").containsKey("traceparent");
    }
}
