package io.marty.observability.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.correlation.MdcKeys;
import io.marty.observability.http.MartyHttpServerFilter;
import io.marty.observability.kafkabroker.KafkaBroker;
import io.marty.observability.testing.MartyTesting;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Done-when test of issue 19 for Kafka, on a real single-node broker: an HTTP request carrying
 * {@code X-MMF-Correlation-ID} reaches service A (real JDK HTTP server with Marty's filter), whose
 * handler publishes through a wrapped producer; A then stops. Service B (its own
 * MartyObservability, another service name) consumes the record: its process span continues A's
 * trace under A's producer span, and its log lines carry A's correlation id — which B can only
 * have learnt from the record headers, since A is gone when B starts.
 */
class KafkaTwoServicesIT {

    private static final AttributeKey<String> CORRELATION = AttributeKey.stringKey("mmf.correlation_id");
    private static final AttributeKey<String> REQUEST = AttributeKey.stringKey("mmf.request_id");
    private static final AttributeKey<String> PARENT_REQUEST = AttributeKey.stringKey("mmf.parent_request_id");
    private static final String TOPIC = "orders";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics(TOPIC);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void consumerSpansAndLogLinesCarryTheProducersTraceAndCorrelationAcrossTwoServices() throws Exception {
        String correlationId = "order-flow-7f3a";
        SpanData serverSpan;
        SpanData producerSpan;
        // ---- service A: HTTP in, Kafka out
        try (MartyTesting orders = MartyTesting.start("order-service")) {
            KafkaTelemetry telemetry = KafkaTelemetry.create(orders.observability());
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            try (Producer<String, String> producer = telemetry.wrap(new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer()))) {
                HttpContext context = server.createContext("/orders", exchange -> {
                    try {
                        producer.send(new ProducerRecord<>(TOPIC, "order-1", "{\"total\":42}"))
                                .get();
                        exchange.sendResponseHeaders(202, -1);
                    } catch (Exception e) {
                        exchange.sendResponseHeaders(500, -1);
                    }
                    exchange.close();
                });
                context.getFilters().add(MartyHttpServerFilter.create(orders.observability()));
                server.start();
                HttpResponse<String> response = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                                + server.getAddress().getPort() + "/orders"))
                                        .header("X-MMF-Correlation-ID", correlationId)
                                        .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                                        .header("tracestate", "vendor=abc")
                                        .header("baggage", "tenant=acme")
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(202);
            } finally {
                server.stop(0);
            }
            serverSpan = orders.awaitSpan(SpanKind.SERVER, "POST /orders");
            producerSpan = orders.awaitSpan(SpanKind.PRODUCER, "send orders");
            assertThat(serverSpan.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(producerSpan.getTraceId()).isEqualTo(serverSpan.getTraceId());
            assertThat(producerSpan.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
            assertThat(producerSpan.getAttributes().get(CORRELATION)).isEqualTo(correlationId);
            assertThat(producerSpan.getAttributes().asMap())
                    .containsEntry(AttributeKey.stringKey("messaging.system"), "kafka")
                    .containsEntry(AttributeKey.stringKey("messaging.destination.name"), TOPIC)
                    .containsEntry(AttributeKey.stringKey("messaging.operation.type"), "send")
                    .containsEntry(AttributeKey.stringKey("messaging.destination.partition.id"), "0")
                    .containsEntry(AttributeKey.longKey("messaging.kafka.offset"), 0L);
            assertThat(orders.sum(
                            KafkaTelemetry.MESSAGES_TOTAL,
                            Map.of(
                                    "service",
                                    "order-service",
                                    "direction",
                                    "producer",
                                    "topic",
                                    TOPIC,
                                    "outcome",
                                    "success")))
                    .isEqualTo(1.0);
        }

        // ---- service B: Kafka in, log lines out
        ListAppender<ILoggingEvent> logs = captureLogs("shipping");
        try (MartyTesting shipping = MartyTesting.start("shipping-service");
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG, "shipping",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            KafkaTelemetry telemetry = KafkaTelemetry.builder(shipping.observability())
                    .consumerGroup("shipping")
                    .build();
            org.slf4j.Logger log = LoggerFactory.getLogger("shipping");
            List<String> headerNames = new ArrayList<>();
            List<String> tenants = new ArrayList<>();
            RecordHandler<String, String> handler = telemetry.wrap(record -> {
                record.headers().forEach(h -> headerNames.add(h.key()));
                tenants.add(Baggage.current().getEntryValue("tenant"));
                log.info("shipping {}", record.key());
                log.info("shipped {}", record.key());
            });
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int handled = 0;
            while (handled == 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : telemetry.poll(consumer, Duration.ofMillis(200))) {
                    handler.handle(record);
                    handled++;
                }
            }
            assertThat(handled).isEqualTo(1);
            assertThat(MDC.get(MdcKeys.CORRELATION_ID))
                    .as("MDC cleared after processing")
                    .isNull();
            assertThat(MDC.get(MdcKeys.TRACE_ID)).isNull();

            SpanData processSpan = shipping.awaitSpan(SpanKind.CONSUMER, "process orders");
            assertThat(processSpan.getTraceId()).isEqualTo(producerSpan.getTraceId());
            assertThat(processSpan.getParentSpanId()).isEqualTo(producerSpan.getSpanId());
            assertThat(processSpan.getParentSpanContext().isRemote()).isTrue();
            assertThat(processSpan.getParentSpanContext().getTraceState().get("vendor"))
                    .isEqualTo("abc");
            assertThat(headerNames)
                    .containsExactlyInAnyOrder(
                            "traceparent", "tracestate", "baggage", "X-MMF-Correlation-ID", "X-MMF-Request-ID");
            assertThat(tenants).containsExactly("acme");
            assertThat(processSpan.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                    .isEqualTo("shipping-service");
            assertThat(processSpan.getAttributes().get(CORRELATION)).isEqualTo(correlationId);
            assertThat(processSpan.getAttributes().get(PARENT_REQUEST))
                    .isEqualTo(producerSpan.getAttributes().get(REQUEST));
            assertThat(processSpan.getAttributes().get(REQUEST))
                    .isNotNull()
                    .isNotEqualTo(producerSpan.getAttributes().get(REQUEST));
            assertThat(processSpan.getAttributes().asMap())
                    .containsEntry(AttributeKey.stringKey("messaging.operation.type"), "process")
                    .containsEntry(AttributeKey.stringKey("messaging.consumer.group.name"), "shipping")
                    .containsEntry(AttributeKey.longKey("messaging.kafka.offset"), 0L);

            assertThat(logs.list).hasSize(2).allSatisfy(event -> {
                Map<String, String> mdc = event.getMDCPropertyMap();
                assertThat(mdc)
                        .containsEntry(MdcKeys.CORRELATION_ID, correlationId)
                        .containsEntry(MdcKeys.TRACE_ID, serverSpan.getTraceId())
                        .containsEntry(MdcKeys.SPAN_ID, processSpan.getSpanId())
                        .containsEntry(
                                MdcKeys.REQUEST_ID, processSpan.getAttributes().get(REQUEST));
            });
            Map<String, String> consumed = Map.of(
                    "service", "shipping-service", "direction", "consumer", "topic", TOPIC, "outcome", "success");
            assertThat(shipping.sum(KafkaTelemetry.MESSAGES_TOTAL, consumed)).isEqualTo(1.0);
            assertThat(shipping.metricsText())
                    .contains(
                            "mmf_message_process_duration_seconds_count{outcome=\"success\",service=\"shipping-service\",topic=\"orders\"} 1");
            assertThat(shipping.instrumentationErrors(KafkaTelemetry.CONSUMER_COMPONENT))
                    .isZero();
        } finally {
            ((Logger) LoggerFactory.getLogger("shipping")).detachAppender(logs);
        }
    }

    static ListAppender<ILoggingEvent> captureLogs(String loggerName) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing(); // the MDC of the thread that logged
                super.append(event);
            }
        };
        appender.start();
        ((Logger) LoggerFactory.getLogger(loggerName)).addAppender(appender);
        return appender;
    }
}
