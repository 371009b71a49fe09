package io.marty.observability.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.json.JsonWriter;
import io.marty.observability.demo.proto.ChargeReply;
import io.marty.observability.demo.proto.ChargeRequest;
import io.marty.observability.demo.proto.GetOrderRequest;
import io.marty.observability.demo.proto.OrderReply;
import io.marty.observability.demo.proto.OrderServiceGrpc;
import io.marty.observability.demo.proto.PaymentServiceGrpc;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import io.marty.observability.http.HealthEndpoints;
import io.marty.observability.http.MartyHttpClient;
import io.marty.observability.http.MartyHttpServerFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo order service, hybrid HTTP + gRPC. HTTP side (JDK server + {@link MartyHttpServerFilter}):
 * {@code POST /orders} charges the payment service over gRPC ({@link MartyGrpcClientInterceptor})
 * and {@code GET /orders/{id}}. gRPC side ({@link MartyGrpcServerInterceptor}): {@code
 * OrderService.GetOrder}, which asks the payment service's HTTP side for the payment status
 * through {@link MartyHttpClient}. Orders live in a database and, when configured, a Redis cache
 * ({@link OrderStore}: {@code ORDERS_JDBC_URL}, {@code ORDERS_REDIS_URL}).
 */
public final class OrderService extends OrderServiceGrpc.OrderServiceImplBase {

    /** Default HTTP port. */
    public static final int DEFAULT_HTTP_PORT = 8082;

    /** Default gRPC port. */
    public static final int DEFAULT_GRPC_PORT = 9092;

    private static final Logger log = LoggerFactory.getLogger("demo.orders");

    private record Order(long id, long amountCents, String status, String paymentId) {}

    private final OrderStore orders;
    private final AtomicLong ids = new AtomicLong(10_000);
    private final PaymentServiceGrpc.PaymentServiceBlockingStub payments;
    private final MartyHttpClient http;
    private final URI paymentHttp;
    private final OrderEvents events;

    private OrderService(
            PaymentServiceGrpc.PaymentServiceBlockingStub payments,
            MartyHttpClient http,
            URI paymentHttp,
            OrderStore orders,
            OrderEvents events) {
        this.orders = orders;
        this.payments = payments;
        this.http = http;
        this.paymentHttp = paymentHttp;
        this.events = events;
    }

    /**
     * Starts the order service (ports 0 = ephemeral) talking to the payment service at {@code
     * paymentGrpcTarget} (e.g. {@code 127.0.0.1:9091}) and {@code paymentHttpBase} (e.g. {@code
     * http://127.0.0.1:8083}).
     */
    public static DemoService start(
            MartyObservability observability, int httpPort, int grpcPort, String paymentGrpcTarget, URI paymentHttpBase)
            throws IOException {
        return start(
                observability,
                httpPort,
                grpcPort,
                paymentGrpcTarget,
                paymentHttpBase,
                OrderEvents.fromSettings(observability));
    }

    /** As above, publishing paid orders through {@code events} (closed with the service). */
    public static DemoService start(
            MartyObservability observability,
            int httpPort,
            int grpcPort,
            String paymentGrpcTarget,
            URI paymentHttpBase,
            OrderEvents events)
            throws IOException {
        ManagedChannel channel = DemoSupport.channel(observability, paymentGrpcTarget);
        String check = DemoSupport.registerChannelCheck(observability, "order-service.payment-grpc", channel);
        MartyHttpClient client = DemoSupport.httpClient(observability);
        OrderStore store = OrderStore.open(observability);
        OrderService service =
                new OrderService(PaymentServiceGrpc.newBlockingStub(channel), client, paymentHttpBase, store, events);
        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
                .addService(ServerInterceptors.intercept(service, MartyGrpcServerInterceptor.create(observability)))
                .build()
                .start();
        ExecutorService executor = Executors.newFixedThreadPool(8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 0);
        server.setExecutor(executor);
        server.createContext("/orders", service::handleHttp)
                .getFilters()
                .add(MartyHttpServerFilter.create(observability));
        server.createContext(
                "/health", HealthEndpoints.create(observability.health()).httpHandler());
        server.start();
        log.info("order service listening: http {} grpc {}", server.getAddress().getPort(), grpc.getPort());
        return new DemoHandle("order-service", server.getAddress().getPort(), grpc.getPort(), () -> {
            server.stop(0);
            executor.shutdownNow();
            grpc.shutdownNow();
            events.close();
            observability.health().unregister(check);
            channel.shutdownNow();
            store.close();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void handleHttp(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("POST".equals(exchange.getRequestMethod()) && (path.equals("/orders") || path.equals("/orders/"))) {
            createOrder(exchange);
            return;
        }
        if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/orders/")) {
            Order order = orders.find(DemoSupport.toLong(path.substring("/orders/".length()), -1), Order::new);
            if (order == null) {
                DemoSupport.respond(exchange, 404, "{\"error\":\"unknown order\"}");
            } else {
                DemoSupport.respond(exchange, 200, json(order));
            }
            return;
        }
        DemoSupport.respond(exchange, 404, "{\"error\":\"not found\"}");
    }

    private void createOrder(HttpExchange exchange) throws IOException {
        String body = DemoSupport.readBody(exchange.getRequestBody());
        long amount = DemoSupport.toLong(DemoSupport.field(body, "amountCents"), 0);
        String user = DemoSupport.field(body, "userId");
        boolean fail = "payment-error".equals(exchange.getRequestHeaders().getFirst("X-Demo-Fault"));
        int delay = (int) DemoSupport.toLong(exchange.getRequestHeaders().getFirst("X-Demo-Delay-Ms"), 0);
        long id = ids.incrementAndGet();
        long started = System.nanoTime();
        DemoBusiness.orderCreated();
        ChargeRequest charge = ChargeRequest.newBuilder()
                .setOrderId(id)
                .setUserId(user == null ? "" : user)
                .setAmountCents(amount)
                .setFail(fail)
                .setDelayMs(delay)
                .build();
        try {
            ChargeReply reply = payments.withDeadlineAfter(10, TimeUnit.SECONDS).charge(charge);
            Order order = store(new Order(id, amount, "PAID", reply.getPaymentId()));
            DemoBusiness.orderFinished(true, amount, java.time.Duration.ofNanos(System.nanoTime() - started));
            log.atInfo()
                    .addKeyValue("category", "business")
                    .addKeyValue("amount_cents", amount)
                    .log("order {} paid", id);
            events.orderPaid(id, amount);
            DemoSupport.respond(exchange, 201, json(order));
        } catch (StatusRuntimeException e) {
            store(new Order(id, amount, "PAYMENT_FAILED", ""));
            DemoBusiness.orderFinished(false, amount, java.time.Duration.ofNanos(System.nanoTime() - started));
            Status.Code code = e.getStatus().getCode();
            log.atWarn()
                    .addKeyValue("category", "business")
                    .addKeyValue("grpc_status", code.name())
                    .log("order {} payment failed", id);
            int status = code == Status.Code.INVALID_ARGUMENT ? 400 : 502;
            DemoSupport.respond(
                    exchange, status, "{\"orderId\":" + id + ",\"error\":" + JsonWriter.quote(code.name()) + "}");
        }
    }

    private Order store(Order order) {
        orders.save(order.id(), order.amountCents(), order.status(), order.paymentId());
        return order;
    }

    private static String json(Order order) {
        return "{\"orderId\":" + order.id() + ",\"amountCents\":" + order.amountCents() + ",\"status\":"
                + JsonWriter.quote(order.status()) + ",\"paymentId\":" + JsonWriter.quote(order.paymentId()) + "}";
    }

    @Override
    public void getOrder(GetOrderRequest request, StreamObserver<OrderReply> out) {
        Order order = orders.find(request.getOrderId(), Order::new);
        if (order == null) {
            out.onError(Status.NOT_FOUND
                    .withDescription("unknown order " + request.getOrderId())
                    .asRuntimeException());
            return;
        }
        String paymentStatus = "NONE";
        if (!order.paymentId().isEmpty()) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(paymentHttp.resolve("/payments/" + order.paymentId()))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String status = DemoSupport.field(response.body(), "status");
                paymentStatus = response.statusCode() == 200 && status != null ? status : "UNKNOWN";
            } catch (IOException e) {
                paymentStatus = "UNREACHABLE";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.onError(Status.CANCELLED.withCause(e).asRuntimeException());
                return;
            }
        }
        log.atInfo().addKeyValue("category", "business").log("order {} fetched", order.id());
        out.onNext(OrderReply.newBuilder()
                .setOrderId(order.id())
                .setStatus(order.status())
                .setPaymentId(order.paymentId())
                .setPaymentStatus(paymentStatus)
                .setAmountCents(order.amountCents())
                .build());
        out.onCompleted();
    }

    /**
     * Runs the order service until killed; settings {@code ORDERS_HTTP_PORT}, {@code
     * ORDERS_GRPC_PORT}, {@code PAYMENT_GRPC_TARGET}, {@code PAYMENT_HTTP_URL}, {@code
     * ORDERS_JDBC_URL}, {@code ORDERS_REDIS_URL}.
     */
    public static void main(String[] args) throws Exception {
        MartyObservability observability = DemoSupport.startObservability("order-service");
        DemoService service = start(
                observability,
                DemoSupport.port("ORDERS_HTTP_PORT", DEFAULT_HTTP_PORT),
                DemoSupport.port("ORDERS_GRPC_PORT", DEFAULT_GRPC_PORT),
                DemoSupport.setting("PAYMENT_GRPC_TARGET", "127.0.0.1:" + PaymentService.DEFAULT_GRPC_PORT),
                URI.create(DemoSupport.setting(
                        "PAYMENT_HTTP_URL", "http://127.0.0.1:" + PaymentService.DEFAULT_HTTP_PORT)));
        DemoSupport.runUntilKilled(observability, service);
    }
}
