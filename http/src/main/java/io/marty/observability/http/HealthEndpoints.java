package io.marty.observability.http;

import com.sun.net.httpserver.HttpHandler;
import io.marty.observability.core.health.HealthCheckResult;
import io.marty.observability.core.health.HealthRegistry;
import io.marty.observability.core.health.HealthReport;
import io.marty.observability.core.health.HealthStatus;
import io.marty.observability.core.json.JsonWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Health endpoints over core's {@link HealthRegistry}, for servlet containers ({@link #servlet()})
 * and the JDK HTTP server ({@link #httpHandler()}):
 *
 * <ul>
 *   <li>{@code /health} — overall status and the status of each check; 200, or 503 when not
 *       available (a critical check DOWN, or UNKNOWN)
 *   <li>{@code /health/live} — liveness: 200 while the process serves requests, runs no checks
 *   <li>{@code /health/ready} — readiness: 503 when a required (critical) check is DOWN; a
 *       non-critical DOWN check only degrades the service and stays 200
 *   <li>{@code /health/detailed} — JSON per check with status, message, details and duration
 * </ul>
 *
 * Each check runs with its timeout (core's registry reports a hung check DOWN, "timed out").
 *
 * <pre>{@code
 * HealthEndpoints health = HealthEndpoints.create(observability.health());
 * server.createContext("/health", health.httpHandler());          // JDK HttpServer
 * context.addServlet(new ServletHolder(health.servlet()), "/health/*"); // servlet
 * }</pre>
 */
public final class HealthEndpoints {

    /** JSON content type of every response. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private final HealthRegistry registry;

    private HealthEndpoints(HealthRegistry registry) {
        this.registry = registry;
    }

    /** Endpoints over {@code registry}. */
    public static HealthEndpoints create(HealthRegistry registry) {
        return new HealthEndpoints(Objects.requireNonNull(registry, "registry"));
    }

    /** An HTTP status and JSON body. */
    public record Response(int status, String body) {}

    /**
     * Answers a path relative to the health root: {@code ""} or {@code "/"} (summary), {@code
     * "/live"}, {@code "/ready"}, {@code "/detailed"}; anything else is 404.
     */
    public Response handle(@Nullable String subPath) {
        String path = subPath == null || subPath.equals("/") ? "" : subPath;
        switch (path) {
            case "":
                return summary(registry.check());
            case "/live":
            case "/liveness":
                return new Response(200, statusOnly(HealthStatus.UP));
            case "/ready":
            case "/readiness":
                HealthReport report = registry.check();
                return new Response(report.httpStatus(), statusOnly(report.status()));
            case "/detailed":
                HealthReport detailed = registry.check();
                return new Response(detailed.httpStatus(), detailed.toJson());
            default:
                return new Response(
                        404,
                        new JsonWriter()
                                .beginObject()
                                .field("error", "unknown health endpoint")
                                .endObject()
                                .toString());
        }
    }

    private static Response summary(HealthReport report) {
        JsonWriter json =
                new JsonWriter().beginObject().field("status", report.status().name());
        json.name("checks").beginObject();
        for (Map.Entry<String, HealthCheckResult> e : report.results().entrySet()) {
            json.field(e.getKey(), e.getValue().status().name());
        }
        return new Response(report.httpStatus(), json.endObject().endObject().toString());
    }

    private static String statusOnly(HealthStatus status) {
        return new JsonWriter()
                .beginObject()
                .field("status", status.name())
                .endObject()
                .toString();
    }

    /** A servlet to map at {@code /health} and {@code /health/*}. */
    public HttpServlet servlet() {
        // through a factory: verifying this class then loads no servlet class, so the JDK HttpServer
        // handler works without the (provided) servlet API on the class path
        return HealthServlet.create(this);
    }

    /** A handler for a JDK {@code HttpServer} context at {@code /health}. */
    public HttpHandler httpHandler() {
        return exchange -> {
            try (exchange) {
                String root = exchange.getHttpContext().getPath();
                String path = exchange.getRequestURI().getPath();
                String sub = path.length() > root.length() ? path.substring(root.length()) : "";
                Response response =
                        handle(sub.endsWith("/") && sub.length() > 1 ? sub.substring(0, sub.length() - 1) : sub);
                byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                boolean head = "HEAD".equals(exchange.getRequestMethod());
                exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
                if (!head) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        };
    }

    private static final class HealthServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient HealthEndpoints endpoints;

        private HealthServlet(HealthEndpoints endpoints) {
            this.endpoints = endpoints;
        }

        static HttpServlet create(HealthEndpoints endpoints) {
            return new HealthServlet(endpoints);
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String info = req.getPathInfo();
            Response response = endpoints.handle(info == null ? "" : info);
            resp.setStatus(response.status());
            resp.setContentType(CONTENT_TYPE);
            resp.setHeader("Cache-Control", "no-store");
            resp.getOutputStream().write(response.body().getBytes(StandardCharsets.UTF_8));
        }
    }
}
