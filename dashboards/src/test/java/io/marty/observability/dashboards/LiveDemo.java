package io.marty.observability.dashboards;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.alert.WebhookAlertSink;
import io.marty.observability.core.correlation.ContextExecutors;
import io.marty.observability.demo.DemoServices;
import io.marty.observability.demo.traffic.Fault;
import io.marty.observability.demo.traffic.FaultSchedule;
import io.marty.observability.demo.traffic.HttpTarget;
import io.marty.observability.demo.traffic.TrafficGenerator;
import io.marty.observability.loganalysis.LogAnalysisMetrics;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo shop ({@link DemoServices}: gateway, order and payment service with HTTP and gRPC hops)
 * started in this JVM on 127.0.0.1 with ephemeral ports, its {@code /metrics} on an ephemeral port,
 * driven by the demo's {@link TrafficGenerator} with failing payments (error burst) from the start
 * and a latency spike. Two add-ons cover what the demo does not run: a log analyzer whose webhook
 * sink cannot deliver ({@code mmf_log_*}) and a thread pool wrapped by {@link ContextExecutors}
 * that rejects work ({@code mmf_executor_*}); {@link #extras()} feeds them and reads orders back
 * through the gateway (gRPC to the order service, HTTP to the payment service).
 */
final class LiveDemo implements AutoCloseable {
    /**
     * The service name the three services share in one JVM: {@code gateway}, so the SLO rules
     * generated from {@code deploy/slo/shop.yaml} have data.
     */
    static final String SERVICE = "gateway";

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*(\\d+)");

    private final MartyObservability obs;
    private final DemoServices demo;
    private final TrafficGenerator traffic;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final LogAnalyzer analyzer;
    private final ExecutorService wrappedPool;
    private volatile String orderId = "1";

    LiveDemo() throws Exception {
        obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName(SERVICE)
                .serviceVersion("1.2.3")
                .environment("production")
                .exporter("none")
                .prometheusRegistry(new PrometheusRegistry())
                .prometheusPort(0)
                .prometheusHost("127.0.0.1")
                .build());
        DemoServices started = null;
        try {
            started = DemoServices.start(obs);
        } finally {
            if (started == null) {
                obs.close();
            }
        }
        demo = started;
        LogAnalysisMetrics logMetrics = LogAnalysisMetrics.create(obs.metrics());
        analyzer = LogAnalyzer.builder()
                .serviceName(SERVICE)
                .useEventTime(false)
                .metrics(logMetrics)
                .addSink(WebhookAlertSink.builder(URI.create("http://127.0.0.1:1/alerts"))
                        .maxRetries(0)
                        .connectTimeout(Duration.ofMillis(200))
                        .onFailure(logMetrics::sinkFailure)
                        .build())
                .build();
        wrappedPool = ContextExecutors.wrap(
                "checkout", new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1)));
        traffic = TrafficGenerator.builder(new HttpTarget(demo.gatewayUri()))
                .requestsPerSecond(15)
                .concurrency(8)
                .schedule(FaultSchedule.builder()
                        .window(Fault.ERROR_BURST, Duration.ZERO, Duration.ofMinutes(10))
                        .window(Fault.LATENCY_SPIKE, Duration.ofSeconds(2), Duration.ofSeconds(3))
                        .build())
                .build()
                .start();
    }

    URI metricsUri() {
        return URI.create("http://127.0.0.1:" + metricsPort() + "/metrics");
    }

    int metricsPort() {
        return obs.prometheusPort();
    }

    TrafficGenerator.Stats trafficStats() {
        return traffic.stats();
    }

    /**
     * One round of what the generator does not send: an order read back through the gateway and an
     * unknown one (404 over gRPC), the readiness check, log lines for the analyzer (an alert its sink
     * fails to deliver, a malformed line) and a task the wrapped pool rejects.
     */
    void extras() throws Exception {
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(demo.gatewayUri().resolve("checkout"))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u-live\",\"amountCents\":1250}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = ORDER_ID.matcher(created.body());
        if (m.find()) {
            orderId = m.group(1);
        }
        for (String id : new String[] {orderId, "999999"}) {
            client.send(
                    HttpRequest.newBuilder(demo.gatewayUri().resolve("orders/" + id))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        client.send(
                HttpRequest.newBuilder(demo.gatewayUri().resolve("health/ready"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        String now = Instant.now().toString();
        analyzer.acceptLine("{\"timestamp\":\"" + now + "\",\"level\":\"INFO\",\"service_name\":\"" + SERVICE
                + "\",\"message\":\"order " + orderId + " placed\"}");
        analyzer.acceptLine("{\"timestamp\":\"" + now + "\",\"level\":\"CRITICAL\",\"service_name\":\"" + SERVICE
                + "\",\"message\":\"database unreachable\"}");
        analyzer.acceptLine("{\"level\": broken");
        // the first task holds the only thread until released, the second fills the queue of one
        CompletableFuture<Void> release = new CompletableFuture<>();
        try {
            wrappedPool.execute(release::join);
            wrappedPool.execute(() -> {});
            wrappedPool.execute(() -> {});
        } catch (RejectedExecutionException expected) {
            // counted in mmf_executor_rejected_tasks_total
        } finally {
            release.complete(null);
        }
    }

    @Override
    public void close() {
        traffic.close();
        wrappedPool.shutdownNow();
        analyzer.close();
        demo.close();
        obs.close();
    }
}
