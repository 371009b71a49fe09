package io.marty.observability.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.http.HttpServerTelemetry;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An unsampled request reads only method and path (the route and span name need them); the request facts behind
 * the span attributes are read only for a span that records, at any sampling rate.
 */
class ServerExchangeSamplingTest {

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Test
    void unsampledRequestsDoNotReadTheRequestFacts() {
        try (MartyTesting marty = MartyTesting.builder()
                .serviceName("unsampled")
                .configure(c -> c.sampleRate(0.0))
                .start()) {
            CountingInfo info = new CountingInfo();
            ServerExchange exchange =
                    ServerExchange.start(HttpServerTelemetry.create(marty.observability()), Map.of(), GETTER, info);
            exchange.end(200, null);

            assertThat(exchange.correlation().requestId()).isNotNull();
            assertThat(info.read).containsOnly("method", "path");
            assertThat(marty.requests(Map.of("route", "/orders/{id}", "status", "200")))
                    .isEqualTo(1.0);
            assertThat(marty.spans()).isEmpty();
        }
    }

    @Test
    void recordedSpansCarryEveryAttributeAtFullAndPartialSampling() {
        for (double rate : new double[] {1.0, 0.5}) {
            try (MartyTesting marty = MartyTesting.builder()
                    .serviceName("sampled")
                    .configure(c -> c.sampleRate(rate))
                    .start()) {
                // a sampled parent makes the parent-based sampler record at any rate
                Map<String, String> headers =
                        Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
                CountingInfo info = new CountingInfo();
                ServerExchange.start(HttpServerTelemetry.create(marty.observability()), headers, GETTER, info)
                        .end(200, null);

                SpanData span = marty.awaitSpan(SpanKind.SERVER, "GET /orders/{id}");
                assertThat(info.read)
                        .as("rate %s", rate)
                        .contains("serverAddress", "clientAddress", "userAgent", "protocolVersion", "scheme");
                assertThat(span.getAttributes().asMap())
                        .as("rate %s", rate)
                        .containsEntry(AttributeKey.stringKey("http.request.method"), "GET")
                        .containsEntry(AttributeKey.stringKey("http.route"), "/orders/{id}")
                        .containsEntry(AttributeKey.stringKey("url.path"), "/orders/42")
                        .containsEntry(AttributeKey.stringKey("url.scheme"), "http")
                        .containsEntry(AttributeKey.stringKey("server.address"), "orders.internal")
                        .containsEntry(AttributeKey.longKey("server.port"), 8080L)
                        .containsEntry(AttributeKey.stringKey("client.address"), "10.0.0.7")
                        .containsEntry(AttributeKey.stringKey("user_agent.original"), "curl/8")
                        .containsEntry(AttributeKey.stringKey("network.protocol.version"), "1.1")
                        .containsEntry(AttributeKey.longKey("http.response.status_code"), 200L)
                        .containsKey(AttributeKey.stringKey("mmf.correlation_id"));
                assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            }
        }
    }

    /** Request facts of GET /orders/42 that remember which of them were read. */
    private static final class CountingInfo implements ServerExchange.RequestInfo {
        final List<String> read = new ArrayList<>();

        private <T> T read(String what, T value) {
            read.add(what);
            return value;
        }

        @Override
        public String method() {
            return read("method", "GET");
        }

        @Override
        public String path() {
            return read("path", "/orders/42");
        }

        @Override
        public String scheme() {
            return read("scheme", "http");
        }

        @Override
        public String serverAddress() {
            return read("serverAddress", "orders.internal");
        }

        @Override
        public int serverPort() {
            return read("serverPort", 8080);
        }

        @Override
        public String clientAddress() {
            return read("clientAddress", "10.0.0.7");
        }

        @Override
        public String userAgent() {
            return read("userAgent", "curl/8");
        }

        @Override
        public String protocolVersion() {
            return read("protocolVersion", "1.1");
        }
    }
}
