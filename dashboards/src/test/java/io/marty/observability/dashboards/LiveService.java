package io.marty.observability.dashboards;

import com.sun.net.httpserver.HttpServer;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.correlation.ContextExecutors;
import io.marty.observability.grpc.MartyGrpcClientInterceptor;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import io.marty.observability.http.HealthEndpoints;
import io.marty.observability.http.MartyHttpClient;
import io.marty.observability.http.MartyHttpServerFilter;
import io.marty.observability.loganalysis.LogAnalysisMetrics;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.loganalysis.sink.WebhookAlertSink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small real service on 127.0.0.1 (ephemeral ports) that exercises every instrumented path the
 * dashboards and rules query: HTTP server and client (JDK HttpServer + filter, MartyHttpClient),
 * gRPC server and client (Netty, interceptors), a log analyzer with a failing webhook sink, a
 * thread pool wrapped by ContextExecutors, JVM metrics; {@link #traffic()} sends successes, client
 * and server errors and slow requests.
 */
final class LiveService implements AutoCloseable {
    static final String SERVICE = "shop-api";

    private static final MethodDescriptor.Marshaller<String> STRING = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> CHARGE = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("shop.Payments/Charge")
            .setRequestMarshaller(STRING)
            .setResponseMarshaller(STRING)
            .build();

    final MartyObservability obs;
    private final HttpServer http;
    private final Server grpc;
    private final ManagedChannel channel;
    private final io.grpc.Channel intercepted;
    private final HttpClient client;
    private final LogAnalyzer analyzer;
    private final ThreadPoolExecutor pool;
    private final ExecutorService wrappedPool;

    LiveService() throws IOException {
        obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName(SERVICE)
                .serviceVersion("1.2.3")
                .environment("production")
                .exporter("none")
                .prometheusRegistry(new PrometheusRegistry())
                .prometheusPort(0)
                .prometheusHost("127.0.0.1")
                .build());
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/orders/", ex -> {
                    String id = ex.getRequestURI().getPath().substring("/orders/".length());
                    int status = id.equals("boom") ? 500 : id.matches("\\d+") ? 200 : 404;
                    if (id.equals("7")) {
                        sleep(60);
                    }
                    byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(status, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                })
                .getFilters()
                .add(MartyHttpServerFilter.create(obs));
        http.createContext("/health", HealthEndpoints.create(obs.health()).httpHandler());
        http.start();
        ServerServiceDefinition payments = ServerServiceDefinition.builder("shop.Payments")
                .addMethod(CHARGE, ServerCalls.asyncUnaryCall((req, resp) -> {
                    if (req.equals("decline")) {
                        resp.onError(Status.INTERNAL.withDescription("declined").asRuntimeException());
                        return;
                    }
                    resp.onNext("ok " + req);
                    resp.onCompleted();
                }))
                .build();
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(payments, MartyGrpcServerInterceptor.create(obs)))
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.getPort())
                .usePlaintext()
                .build();
        intercepted = ClientInterceptors.intercept(channel, MartyGrpcClientInterceptor.create(obs));
        client = MartyHttpClient.wrap(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), obs);
        LogAnalysisMetrics logMetrics = LogAnalysisMetrics.create(obs.metrics());
        analyzer = LogAnalyzer.builder()
                .serviceName(SERVICE)
                .useEventTime(false)
                .metrics(logMetrics)
                .addSink(WebhookAlertSink.builder(URI.create("http://127.0.0.1:1/alerts"))
                        .maxRetries(0)
                        .connectTimeout(Duration.ofMillis(200))
                        .metrics(logMetrics)
                        .build())
                .build();
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        wrappedPool = ContextExecutors.wrap("checkout", pool);
    }

    int metricsPort() {
        return obs.prometheusPort();
    }

    URI metricsUri() {
        return URI.create("http://127.0.0.1:" + metricsPort() + "/metrics");
    }

    /** One round of traffic over every path, including errors, a slow request and a rejected task. */
    void traffic() throws Exception {
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        for (String id : new String[] {"1", "2", "3", "7", "boom", "nope"}) {
            client.send(
                    HttpRequest.newBuilder(URI.create(base + "/orders/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        client.send(
                HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        ClientCalls.blockingUnaryCall(
                intercepted, CHARGE, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "42");
        try {
            ClientCalls.blockingUnaryCall(intercepted, CHARGE, CallOptions.DEFAULT, "decline");
        } catch (io.grpc.StatusRuntimeException expected) {
            // a server error on both sides
        }
        String now = Instant.now().toString();
        analyzer.acceptLine("{\"timestamp\":\"" + now + "\",\"level\":\"INFO\",\"service_name\":\"" + SERVICE
                + "\",\"message\":\"order 17 placed\"}");
        analyzer.acceptLine("{\"timestamp\":\"" + now + "\",\"level\":\"CRITICAL\",\"service_name\":\"" + SERVICE
                + "\",\"message\":\"database unreachable\"}");
        analyzer.acceptLine("{\"level\": broken");
        CountDownLatch release = new CountDownLatch(1);
        try {
            wrappedPool.execute(() -> await(release));
            wrappedPool.execute(() -> {});
            wrappedPool.execute(() -> {});
        } catch (RejectedExecutionException expected) {
            // counted in mmf_executor_rejected_tasks_total
        } finally {
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        wrappedPool.shutdownNow();
        analyzer.close();
        channel.shutdownNow();
        grpc.shutdownNow();
        http.stop(0);
        obs.close();
    }
}
