package io.marty.observability.demo;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.json.JsonWriter;
import io.marty.observability.demo.proto.ChargeReply;
import io.marty.observability.demo.proto.ChargeRequest;
import io.marty.observability.demo.proto.PaymentServiceGrpc;
import io.marty.observability.grpc.MartyGrpcHealthService;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import io.marty.observability.http.HealthEndpoints;
import io.marty.observability.http.MartyHttpServerFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo payment service: gRPC {@code PaymentService.Charge} (instrumented by {@link
 * MartyGrpcServerInterceptor}) with the gRPC health service ({@link MartyGrpcHealthService}), and a
 * small HTTP side ({@code GET /payments/{id}}, {@code /health/*}) on the JDK HTTP server with {@link
 * MartyHttpServerFilter}.
 *
 * <pre>{@code
 * try (DemoService payments = PaymentService.start(observability, 9091, 8083)) { ... }
 * }</pre>
 */
public final class PaymentService extends PaymentServiceGrpc.PaymentServiceImplBase {

    /** Default gRPC port. */
    public static final int DEFAULT_GRPC_PORT = 9091;

    /** Default HTTP port. */
    public static final int DEFAULT_HTTP_PORT = 8083;

    private static final Logger log = LoggerFactory.getLogger("demo.payment");
    private static final int MAX_PAYMENTS = 10_000;

    private final Map<String, String> payments = new ConcurrentHashMap<>();

    private PaymentService() {}

    /**
     * Starts the payment service on the given ports (0 = ephemeral) reporting to {@code
     * observability}.
     */
    public static DemoService start(MartyObservability observability, int grpcPort, int httpPort) throws IOException {
        PaymentService service = new PaymentService();
        MartyGrpcHealthService health = MartyGrpcHealthService.builder(observability.health())
                .service(PaymentServiceGrpc.SERVICE_NAME)
                .build();
        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
                .addService(ServerInterceptors.intercept(service, MartyGrpcServerInterceptor.create(observability)))
                .addService(health)
                .build()
                .start();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 0);
        http.setExecutor(executor);
        http.createContext("/payments/", exchange -> {
                    String id = exchange.getRequestURI().getPath().substring("/payments/".length());
                    String status = service.payments.get(id);
                    log.atInfo().addKeyValue("category", "business").log("payment {} looked up", id);
                    if (status == null) {
                        DemoSupport.respond(exchange, 404, "{\"error\":\"unknown payment\"}");
                    } else {
                        DemoSupport.respond(
                                exchange,
                                200,
                                "{\"paymentId\":" + JsonWriter.quote(id) + ",\"status\":" + JsonWriter.quote(status)
                                        + "}");
                    }
                })
                .getFilters()
                .add(MartyHttpServerFilter.create(observability));
        http.createContext(
                "/health", HealthEndpoints.create(observability.health()).httpHandler());
        http.start();
        log.info(
                "payment service listening: grpc {} http {}",
                grpc.getPort(),
                http.getAddress().getPort());
        return new DemoHandle("payment-service", http.getAddress().getPort(), grpc.getPort(), () -> {
            http.stop(0);
            executor.shutdownNow();
            health.close();
            grpc.shutdownNow();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void charge(ChargeRequest request, StreamObserver<ChargeReply> out) {
        DemoSupport.sleep(request.getDelayMs());
        if (request.getAmountCents() <= 0) {
            log.atWarn()
                    .addKeyValue("category", "business")
                    .log("rejected charge of {} cents", request.getAmountCents());
            out.onError(Status.INVALID_ARGUMENT
                    .withDescription("amount_cents must be positive")
                    .asRuntimeException());
            return;
        }
        if (request.getFail()) {
            log.atError()
                    .addKeyValue("category", "business")
                    .log("payment provider unavailable for order {}", request.getOrderId());
            out.onError(Status.UNAVAILABLE
                    .withDescription("payment provider unavailable")
                    .asRuntimeException());
            return;
        }
        String paymentId = java.util.UUID.randomUUID().toString();
        if (payments.size() >= MAX_PAYMENTS) {
            payments.clear(); // demo memory bound
        }
        payments.put(paymentId, "CAPTURED");
        DemoBusiness.paymentCaptured(request.getAmountCents(), request.getUserId());
        log.atInfo()
                .addKeyValue("category", "business")
                .addKeyValue("amount_cents", request.getAmountCents())
                .log("charged order {}", request.getOrderId());
        out.onNext(ChargeReply.newBuilder()
                .setPaymentId(paymentId)
                .setStatus("CAPTURED")
                .build());
        out.onCompleted();
    }

    /** Runs the payment service until killed; ports from {@code PAYMENT_GRPC_PORT}, {@code PAYMENT_HTTP_PORT}. */
    public static void main(String[] args) throws Exception {
        MartyObservability observability = DemoSupport.startObservability("payment-service");
        DemoService service = start(
                observability,
                DemoSupport.port("PAYMENT_GRPC_PORT", DEFAULT_GRPC_PORT),
                DemoSupport.port("PAYMENT_HTTP_PORT", DEFAULT_HTTP_PORT));
        DemoSupport.runUntilKilled(observability, service);
    }
}
