package io.marty.observability.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.core.correlation.ContextExecutors;
import io.marty.observability.logging.MartyJsonEncoder;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Business attributes in JSON log lines, on spans, in child threads and baggage, never in metric labels. */
class BusinessContextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;
    private Logger log;
    private MartyTesting marty;

    @BeforeEach
    void setUp() {
        marty = MartyTesting.start("shop");
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        MartyJsonEncoder encoder = new MartyJsonEncoder();
        encoder.setContext(lc);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(lc);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        log = lc.getLogger("shop.orders");
        log.addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        log.detachAppender(appender);
        appender.stop();
        marty.close();
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (String s : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!s.isBlank()) {
                l.add(JSON.readTree(s));
            }
        }
        return l;
    }

    @Test
    void attributesReachLogLinesSpansAndChildThreadsAndLeaveWithTheScope() throws Exception {
        BusinessMetrics business =
                BusinessMetrics.builder(marty.observability().metrics()).build();
        ExecutorService pool = ContextExecutors.wrap(Executors.newSingleThreadExecutor());
        try {
            Span parent = marty.observability().tracing().startSpan("checkout");
            try (Scope s1 = parent.makeCurrent();
                    Scope s2 = BusinessContext.with("order_id", "o-123")
                            .and("tenant", "acme")
                            .attach()) {
                log.info("order accepted");
                marty.observability().tracing().startSpan("charge").end();
                String inChild = pool.submit(() -> {
                            log.info("in child");
                            return BusinessContext.get("order_id");
                        })
                        .get(10, TimeUnit.SECONDS);
                assertThat(inChild).isEqualTo("o-123");
                business.revenue(Money.of("19.99", "USD"), "web");
                business.order(true, Money.of("19.99", "USD"), Duration.ofMillis(300), "web");
                business.activeUser("u-77");
            } finally {
                parent.end();
            }
            log.info("after");
            pool.submit(() -> log.info("child after")).get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0).get("fields").get("order_id").asText()).isEqualTo("o-123");
        assertThat(lines.get(0).get("fields").get("tenant").asText()).isEqualTo("acme");
        assertThat(lines.get(1).get("message").asText()).isEqualTo("in child");
        assertThat(lines.get(1).get("fields").get("order_id").asText()).isEqualTo("o-123");
        for (JsonNode after : lines.subList(2, 4)) {
            assertThat(after.path("fields").path("order_id").isMissingNode())
                    .as("%s", after)
                    .isTrue();
        }

        SpanData checkout = marty.awaitSpan(io.opentelemetry.api.trace.SpanKind.INTERNAL, "checkout");
        SpanData charge = marty.awaitSpan(io.opentelemetry.api.trace.SpanKind.INTERNAL, "charge");
        assertThat(checkout.getAttributes().get(AttributeKey.stringKey("mmf.business.order_id")))
                .as("set on the current span when the scope opens")
                .isEqualTo("o-123");
        assertThat(charge.getAttributes().get(AttributeKey.stringKey("mmf.business.tenant")))
                .as("set on spans started inside the scope")
                .isEqualTo("acme");

        String metrics = marty.metricsText();
        assertThat(metrics).contains("mmf_business_revenue_minor_units_total{");
        assertThat(metrics).doesNotContain("o-123").doesNotContain("u-77").doesNotContain("acme");
    }

    @Test
    void onlyAllowListedKeysGoDownstreamAsBaggageAndComeBackFromIt() {
        Map<String, String> carrier = new HashMap<>();
        try (Scope ignored =
                BusinessContext.with("order_id", "o-9").and("tenant", "acme").attachWithBaggage(Set.of("tenant"))) {
            W3CBaggagePropagator.getInstance().inject(Context.current(), carrier, Map::put);
        }
        assertThat(carrier.get("baggage")).isEqualTo("tenant=acme");
        Context incoming = W3CBaggagePropagator.getInstance().extract(Context.root(), carrier, new MapGetter());
        try (Scope a = incoming.makeCurrent();
                Scope b = BusinessContext.fromBaggage(Set.of("tenant")).attach()) {
            assertThat(BusinessContext.current()).containsExactly(Map.entry("tenant", "acme"));
        }
        assertThat(BusinessContext.current()).isEmpty();
        assertThat(W3CTraceContextPropagator.getInstance()).isNotNull();
    }

    @Test
    void keysAreBoundedAndCorrelationDimensionsAreRefused() {
        assertThatThrownBy(() -> BusinessContext.with("user_id", "u")).hasMessageContaining("'user_id'");
        assertThatThrownBy(() -> BusinessContext.with("Order-Id", "o")).hasMessageContaining("'Order-Id'");
        BusinessContext c = BusinessContext.with("k0", "v");
        for (int i = 1; i < BusinessContext.MAX_ATTRIBUTES; i++) {
            c.and("k" + i, "v");
        }
        assertThatThrownBy(() -> c.and("one_more", "v")).hasMessageContaining("at most 16");
        assertThat(BusinessContext.with("note", "x".repeat(1000)).attributes().get("note"))
                .hasSize(256);
    }

    private static final class MapGetter
            implements io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>> {
        @Override
        public Iterable<String> keys(Map<String, String> c) {
            return c.keySet();
        }

        @Override
        public String get(Map<String, String> c, String key) {
            return c == null ? null : c.get(key);
        }
    }
}
