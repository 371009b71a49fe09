package io.marty.observability.examples.demo;

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
        DemoService payment = PaymentService.start(observability, 0, 0);
        DemoService orders = null;
        try {
            orders = OrderService.start(
                    observability,
                    0,
                    0,
                    "127.0.0.1:" + payment.grpcPort(),
                    URI.create("http://127.0.0.1:" + payment.httpPort()));
            DemoService gateway = Gateway.start(
                    observability,
                    0,
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

    @Override
    public void close() {
        gateway.close();
        orders.close();
        payment.close();
    }
}
