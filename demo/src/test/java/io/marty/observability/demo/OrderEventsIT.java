package io.marty.observability.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.correlation.MdcKeys;
import io.marty.observability.kafkabroker.KafkaBroker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The demo's order events on a real broker: a paid order published by the order service is handled
 * by the fulfillment consumer inside the checkout's trace, and the consumer's log line carries the
 * checkout's correlation id.
 */
class OrderEventsIT {

    @Test
    void paidOrderIsPublishedAndHandledInTheCheckoutsTraceAndCorrelation() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        ListAppender<ILoggingEvent> logs = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing();
                super.append(event);
            }
        };
        logs.start();
        Logger fulfillmentLog = (Logger) LoggerFactory.getLogger("demo.fulfillment");
        fulfillmentLog.addAppender(logs);
        try (KafkaBroker broker = KafkaBroker.start();
                MartyObservability marty = MartyObservability.start(ObservabilityConfig.builder()
                        .serviceName("demo-kafka")
                        .exporter("none")
                        .spanExporter(spans)
                        .prometheusRegistry(new PrometheusRegistry())
                        .build())) {
            broker.createTopics(OrderEvents.TOPIC);
            try (DemoService payment = PaymentService.start(marty, 0, 0);
                    DemoService orders = OrderService.start(
                            marty,
                            0,
                            0,
                            "127.0.0.1:" + payment.grpcPort(),
                            URI.create("http://127.0.0.1:" + payment.httpPort()),
                            OrderEvents.publisher(marty, broker.bootstrapServers()));
                    FulfillmentConsumer consumer = FulfillmentConsumer.start(marty, broker.bootstrapServers())) {
                HttpResponse<String> created = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orders.httpPort() + "/orders"))
                                        .header("X-MMF-Correlation-ID", "checkout-kafka-1")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"userId\":\"u1\",\"amountCents\":1250}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).isEqualTo(201);
                String orderId = DemoSupport.field(created.body(), "orderId");

                SpanData process = await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> find(spans.getFinishedSpanItems(), SpanKind.CONSUMER, "process orders.paid"),
                                s -> s != null);
                SpanData send = find(spans.getFinishedSpanItems(), SpanKind.PRODUCER, "send orders.paid");
                SpanData server = find(spans.getFinishedSpanItems(), SpanKind.SERVER, "POST /orders");
                assertThat(send).isNotNull();
                assertThat(server).isNotNull();
                assertThat(send.getParentSpanId()).isEqualTo(server.getSpanId());
                assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
                assertThat(process.getTraceId()).isEqualTo(server.getTraceId());
                assertThat(process.getAttributes().get(AttributeKey.stringKey("mmf.correlation_id")))
                        .isEqualTo("checkout-kafka-1");
                await().atMost(Duration.ofSeconds(10)).until(() -> !copy(logs).isEmpty());
                ILoggingEvent line = copy(logs).get(0);
                assertThat(line.getFormattedMessage()).isEqualTo("order " + orderId + " handed to fulfillment");
                assertThat(line.getMDCPropertyMap())
                        .containsEntry(MdcKeys.CORRELATION_ID, "checkout-kafka-1")
                        .containsEntry(MdcKeys.TRACE_ID, server.getTraceId());
            }
        } finally {
            fulfillmentLog.detachAppender(logs);
        }
    }

    private static SpanData find(List<SpanData> spans, SpanKind kind, String name) {
        return spans.stream()
                .filter(s -> s.getKind() == kind && s.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static List<ILoggingEvent> copy(ListAppender<ILoggingEvent> logs) {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }
}
