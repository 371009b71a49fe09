package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.marty.observability.console.ConsoleServer;
import io.marty.observability.demo.OrderEvents;
import io.marty.observability.kafkabroker.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code marty demo --with-kafka} runs: the broker and the three service JVMs wired to it; a
 * checkout's correlation timeline in the console holds the order event's send and process spans and
 * the consumer's log line, in payment-service.
 */
class DemoKafkaIT {
    @Test
    void checkoutCorrelationShowsTheOrderEventsMessagingSpansAndConsumerLog() throws Exception {
        try (ConsoleServer console = ConsoleServer.builder().port(0).build().start();
                KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopics(OrderEvents.TOPIC);
            try (DemoProcesses services =
                    DemoProcesses.start(console.url(), Duration.ofSeconds(90), broker.bootstrapServers())) {
                HttpResponse<String> checkout = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create(services.gatewayUri() + "checkout"))
                                        .header("X-MMF-Correlation-ID", "demo-kafka-1")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"userId\":\"u1\",\"amountCents\":1250}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(checkout.statusCode()).isEqualTo(200);

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    JsonNode corr = ConsoleApi.get(console, "/api/correlations/demo-kafka-1");
                    List<String> spans = new ArrayList<>();
                    List<String> logs = new ArrayList<>();
                    for (JsonNode item : corr.get("items")) {
                        if (item.has("span")) {
                            JsonNode s = item.get("span");
                            spans.add(s.get("service").asText() + " "
                                    + s.get("kind").asText() + " "
                                    + s.get("name").asText());
                        } else {
                            JsonNode l = item.get("log");
                            logs.add(l.get("service").asText() + " "
                                    + l.get("body").asText());
                        }
                    }
                    assertThat(spans)
                            .contains(
                                    "order-service PRODUCER send orders.paid",
                                    "payment-service CONSUMER process orders.paid");
                    assertThat(logs)
                            .anyMatch(l ->
                                    l.startsWith("payment-service order ") && l.endsWith(" handed to fulfillment"));
                    assertThat(corr.get("traces")).hasSize(1);
                });
            }
        }
    }
}
