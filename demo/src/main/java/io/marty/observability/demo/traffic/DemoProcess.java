package io.marty.observability.demo.traffic;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.demo.DemoService;
import io.marty.observability.demo.FulfillmentConsumer;
import io.marty.observability.demo.Gateway;
import io.marty.observability.demo.OrderService;
import io.marty.observability.demo.PaymentService;
import io.marty.observability.logging.MartyLogging;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * Runs one demo service in its own JVM (so each gets its own {@code service.name}) for
 * {@code marty demo}: {@code DemoProcess payment <grpcPort> <httpPort>}, {@code DemoProcess orders
 * <httpPort> <grpcPort> <paymentGrpcPort> <paymentHttpPort>}, {@code DemoProcess gateway <httpPort>
 * <ordersHttpPort> <ordersGrpcPort>}. Observability comes from the environment
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}...); logs go over OTLP through the logging module. Prints
 * {@code READY} when serving and exits when its standard input closes (the launcher died) or on
 * SIGTERM.
 */
public final class DemoProcess {
    private DemoProcess() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: DemoProcess payment|orders|gateway <ports...>");
        }
        String role = args[0].toLowerCase(Locale.ROOT);
        String name = switch (role) {
            case "payment" -> "payment-service";
            case "orders" -> "order-service";
            case "gateway" -> "gateway";
            default -> throw new IllegalArgumentException("unknown demo service '" + args[0] + "'");
        };
        MartyObservability obs = MartyObservability.start(
                ObservabilityConfig.builderFromEnvironment().serviceName(name).build());
        MartyLogging.install(obs);
        DemoService service = switch (role) {
            case "payment" -> PaymentService.start(obs, port(args, 1), port(args, 2));
            case "orders" ->
                OrderService.start(
                        obs,
                        port(args, 1),
                        port(args, 2),
                        "127.0.0.1:" + port(args, 3),
                        URI.create("http://127.0.0.1:" + port(args, 4)));
            default ->
                Gateway.start(
                        obs,
                        port(args, 1),
                        URI.create("http://127.0.0.1:" + port(args, 2)),
                        "127.0.0.1:" + port(args, 3));
        };
        // with --with-kafka the payment service also consumes the order service's events
        FulfillmentConsumer fulfillment = role.equals("payment") ? FulfillmentConsumer.startFromSettings(obs) : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (fulfillment != null) {
                fulfillment.close();
            }
            service.close();
            obs.close(); // flushes the last spans and logs to the console
        }));
        System.out.println("READY " + name);
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // wait for the launcher to go away
            }
        } catch (IOException e) {
            // launcher gone
        }
        System.exit(0);
    }

    private static int port(String[] args, int i) {
        if (args.length <= i) {
            throw new IllegalArgumentException("missing port argument " + i + " for " + args[0]);
        }
        try {
            return Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port argument " + i + " must be a number, got '" + args[i] + "'", e);
        }
    }
}
