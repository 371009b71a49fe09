package io.marty.observability.demo;

import io.marty.observability.core.MartyObservability;
import java.net.URI;

/**
 * Starts the three demo services in this JVM on ephemeral ports: payment (gRPC + HTTP), order
 * (HTTP + gRPC) and the gateway (HTTP), wired to each other. They share the JVM's one {@link
 * MartyObservability}; run each class's {@code main} in its own JVM for separate service names.
 *
 * <pre>{@code
 * try (MartyObservability obs = MartyObservability.start(config);
 *         DemoServices demo = DemoServices.start(obs)) {
 *     URI gateway = demo.gatewayUri();   // GET /products/1, POST /checkout, GET /orders/{id}
 * }
 * }</pre>
 */
public final class DemoServices implements AutoCloseable {

    private final DemoService payment;
    private final DemoService orders;
    private final DemoService gateway;

    private DemoServices(DemoService payment, DemoService orders, DemoService gateway) {
        this.payment = payment;
        this.orders = orders;
        this.gateway = gateway;
    }

    /** Starts payment, order service and gateway on ephemeral loopback ports. */
    public static DemoServices start(MartyObservability observability) throws Exception {
        return start(observability, 0, 0, 0, 0, 0);
    }

    /** Starts the three services on the given loopback ports (0 = ephemeral). */
    public static DemoServices start(
            MartyObservability observability,
            int gatewayPort,
            int ordersHttpPort,
            int ordersGrpcPort,
            int paymentGrpcPort,
            int paymentHttpPort)
            throws Exception {
        DemoService payment = PaymentService.start(observability, paymentGrpcPort, paymentHttpPort);
        DemoService orders = null;
        try {
            orders = OrderService.start(
                    observability,
                    ordersHttpPort,
                    ordersGrpcPort,
                    "127.0.0.1:" + payment.grpcPort(),
                    URI.create("http://127.0.0.1:" + payment.httpPort()));
            DemoService gateway = Gateway.start(
                    observability,
                    gatewayPort,
                    URI.create("http://127.0.0.1:" + orders.httpPort()),
                    "127.0.0.1:" + orders.grpcPort());
            return new DemoServices(payment, orders, gateway);
        } catch (Exception | Error e) {
            if (orders != null) {
                orders.close();
            }
            payment.close();
            throw e;
        }
    }

    /** Base URI of the gateway, e.g. {@code http://127.0.0.1:41234/}. */
    public URI gatewayUri() {
        return URI.create("http://127.0.0.1:" + gateway.httpPort() + "/");
    }

    /** The payment service. */
    public DemoService payment() {
        return payment;
    }

    /** The order service. */
    public DemoService orders() {
        return orders;
    }

    /** The gateway. */
    public DemoService gateway() {
        return gateway;
    }

    /**
     * Runs the three services in this JVM on their default ports (gateway 8081, order service 8082
     * / 9092, payment 8083 / 9091) under one service name ({@code MMF_SERVICE_NAME}, default {@code
     * marty-demo-shop}) until killed.
     */
    public static void main(String[] args) throws Exception {
        MartyObservability observability = DemoSupport.startObservability("marty-demo-shop");
        DemoServices demo = start(
                observability,
                Gateway.DEFAULT_PORT,
                OrderService.DEFAULT_HTTP_PORT,
                OrderService.DEFAULT_GRPC_PORT,
                PaymentService.DEFAULT_GRPC_PORT,
                PaymentService.DEFAULT_HTTP_PORT);
        System.out.println("demo shop: gateway on " + demo.gatewayUri()
                + " (GET products/1, POST checkout, GET orders/{id}, GET health/detailed)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            observability.close();
        }));
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        gateway.close();
        orders.close();
        payment.close();
    }
}
