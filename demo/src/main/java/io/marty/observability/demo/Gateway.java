package io.marty.observability.demo;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.json.JsonWriter;
import io.marty.observability.demo.proto.GetOrderRequest;
import io.marty.observability.demo.proto.OrderReply;
import io.marty.observability.demo.proto.OrderServiceGrpc;
import io.marty.observability.http.HealthEndpoints;
import io.marty.observability.http.HttpServerTelemetry;
import io.marty.observability.http.MartyHttpClient;
import io.marty.observability.http.MartyServletFilter;
import io.marty.observability.http.RouteTemplater;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo HTTP gateway on embedded Jetty 12 with {@link MartyServletFilter}: {@code GET
 * /products/{id}} (local), {@code POST /login} (local, {@code correct-horse} is the password),
 * {@code POST /checkout} (HTTP to the order service through {@link MartyHttpClient}, forwarding
 * the demo fault headers), {@code GET /orders/{id}} (gRPC {@code OrderService.GetOrder}) and the
 * health endpoints.
 */
public final class Gateway extends HttpServlet {

    /** Default HTTP port. */
    public static final int DEFAULT_PORT = 8081;

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger("demo.gateway");
    private static final String[] FORWARDED = {"X-Demo-Fault", "X-Demo-Delay-Ms"};

    private final transient MartyHttpClient http;
    private final transient URI orderHttp;
    private final transient OrderServiceGrpc.OrderServiceBlockingStub orders;

    private Gateway(MartyHttpClient http, URI orderHttp, OrderServiceGrpc.OrderServiceBlockingStub orders) {
        this.http = http;
        this.orderHttp = orderHttp;
        this.orders = orders;
    }

    /**
     * Starts the gateway on {@code port} (0 = ephemeral) in front of the order service's HTTP side
     * ({@code orderHttpBase}) and gRPC side ({@code orderGrpcTarget}).
     */
    public static DemoService start(
            MartyObservability observability, int port, URI orderHttpBase, String orderGrpcTarget) throws Exception {
        ManagedChannel channel = DemoSupport.channel(observability, orderGrpcTarget);
        String check = DemoSupport.registerChannelCheck(observability, "gateway.order-service-grpc", channel);
        MartyHttpClient client = DemoSupport.httpClient(observability);
        Gateway gateway = new Gateway(client, orderHttpBase, OrderServiceGrpc.newBlockingStub(channel));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        HttpServerTelemetry telemetry = HttpServerTelemetry.builder(observability)
                .routeTemplater(RouteTemplater.builder().maxRoutes(100).build())
                .build();
        context.addFilter(
                new FilterHolder(MartyServletFilter.create(telemetry)), "/*", EnumSet.of(DispatcherType.REQUEST));
        HttpServlet health = HealthEndpoints.create(observability.health()).servlet();
        context.addServlet(new ServletHolder(health), "/health");
        context.addServlet(new ServletHolder(health), "/health/*");
        context.addServlet(new ServletHolder(gateway), "/*");
        server.setHandler(context);
        server.start();
        log.info("gateway listening on {}", connector.getLocalPort());
        return new DemoHandle("gateway", connector.getLocalPort(), -1, () -> {
            try {
                server.stop();
            } catch (Exception e) {
                log.warn("gateway stop failed", e);
            }
            observability.health().unregister(check);
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        String method = req.getMethod();
        if ("GET".equals(method) && path.startsWith("/products/")) {
            product(path.substring("/products/".length()), resp);
        } else if ("POST".equals(method) && path.equals("/login")) {
            login(req, resp);
        } else if ("POST".equals(method) && path.equals("/checkout")) {
            checkout(req, resp);
        } else if ("GET".equals(method) && path.startsWith("/orders/")) {
            order(path.substring("/orders/".length()), resp);
        } else {
            write(resp, 404, "{\"error\":\"not found\"}");
        }
    }

    private static void product(String id, HttpServletResponse resp) throws IOException {
        long productId = DemoSupport.toLong(id, -1);
        if (productId < 1) {
            write(resp, 404, "{\"error\":\"unknown product\"}");
            return;
        }
        write(
                resp,
                200,
                "{\"productId\":" + productId + ",\"name\":\"Product " + productId + "\",\"priceCents\":"
                        + (500 + productId * 137 % 5000) + "}");
    }

    private static void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String body = DemoSupport.readBody(req.getInputStream());
        String user = DemoSupport.field(body, "user");
        if ("correct-horse".equals(DemoSupport.field(body, "password"))) {
            log.atInfo()
                    .addKeyValue("category", "security")
                    .addKeyValue("outcome", "success")
                    .log("login succeeded");
            write(resp, 200, "{\"user\":" + JsonWriter.quote(user == null ? "" : user) + "}");
        } else {
            // the user name goes to the log as a field (masked by the logging module when configured)
            log.atWarn()
                    .addKeyValue("category", "security")
                    .addKeyValue("outcome", "failure")
                    .addKeyValue("client_ip", String.valueOf(req.getHeader("X-Forwarded-For")))
                    .log("login failed");
            write(resp, 401, "{\"error\":\"invalid credentials\"}");
        }
    }

    private void checkout(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String body = DemoSupport.readBody(req.getInputStream());
        HttpRequest.Builder forward = HttpRequest.newBuilder(orderHttp.resolve("/orders"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (String header : FORWARDED) {
            String value = req.getHeader(header);
            if (value != null) {
                forward.header(header, value);
            }
        }
        try {
            HttpResponse<String> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
            log.atInfo()
                    .addKeyValue("category", "business")
                    .addKeyValue("status", response.statusCode())
                    .log("checkout answered");
            write(resp, response.statusCode() == 201 ? 200 : response.statusCode(), response.body());
        } catch (IOException e) {
            log.atError().addKeyValue("category", "error").log("order service unreachable: {}", e.toString());
            write(resp, 503, "{\"error\":\"order service unavailable\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            write(resp, 503, "{\"error\":\"interrupted\"}");
        }
    }

    private void order(String id, HttpServletResponse resp) throws IOException {
        try {
            OrderReply reply = orders.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getOrder(GetOrderRequest.newBuilder()
                            .setOrderId(DemoSupport.toLong(id, -1))
                            .build());
            log.atInfo().addKeyValue("category", "business").log("order {} shown", reply.getOrderId());
            write(
                    resp,
                    200,
                    "{\"orderId\":" + reply.getOrderId() + ",\"status\":" + JsonWriter.quote(reply.getStatus())
                            + ",\"paymentStatus\":" + JsonWriter.quote(reply.getPaymentStatus()) + "}");
        } catch (StatusRuntimeException e) {
            boolean notFound = e.getStatus().getCode() == Status.Code.NOT_FOUND;
            write(
                    resp,
                    notFound ? 404 : 502,
                    "{\"error\":" + JsonWriter.quote(e.getStatus().getCode().name()) + "}");
        }
    }

    private static void write(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the gateway until killed; settings {@code GATEWAY_PORT}, {@code ORDERS_HTTP_URL}, {@code ORDERS_GRPC_TARGET}. */
    public static void main(String[] args) throws Exception {
        MartyObservability observability = DemoSupport.startObservability("gateway");
        DemoService service = start(
                observability,
                DemoSupport.port("GATEWAY_PORT", DEFAULT_PORT),
                URI.create(
                        DemoSupport.setting("ORDERS_HTTP_URL", "http://127.0.0.1:" + OrderService.DEFAULT_HTTP_PORT)),
                DemoSupport.setting("ORDERS_GRPC_TARGET", "127.0.0.1:" + OrderService.DEFAULT_GRPC_PORT));
        DemoSupport.runUntilKilled(observability, service);
    }
}
