package io.marty.observability.demo;

import com.sun.net.httpserver.HttpExchange;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.health.HealthCheck;
import io.marty.observability.core.health.HealthCheckResult;
import io.marty.observability.core.health.HealthStatus;
import io.marty.observability.grpc.MartyGrpcClientInterceptor;
import io.marty.observability.http.MartyHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Small helpers shared by the demo services (tiny JSON field reading, ports, startup). */
final class DemoSupport {

    /** Largest request body the demo services read. */
    static final int MAX_BODY = 16 * 1024;

    private DemoSupport() {}

    /** Starts Marty for a demo service from the environment, named {@code serviceName} by default. */
    static MartyObservability startObservability(String serviceName) {
        ObservabilityConfig.Builder config = ObservabilityConfig.builderFromEnvironment();
        if (System.getenv("MMF_SERVICE_NAME") == null && System.getenv("OTEL_SERVICE_NAME") == null) {
            config.serviceName(serviceName);
        }
        return MartyObservability.start(config.build());
    }

    /** A plaintext gRPC channel to {@code target} with Marty's client interceptor. */
    static ManagedChannel channel(MartyObservability observability, String target) {
        return NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                .intercept(MartyGrpcClientInterceptor.create(observability))
                .build();
    }

    /**
     * Registers a non-critical health check named {@code name} that is DOWN while {@code channel}
     * cannot connect; returns the name for {@code unregister}.
     */
    static String registerChannelCheck(MartyObservability observability, String name, ManagedChannel channel) {
        observability.health().register(new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResult check() {
                ConnectivityState state = channel.getState(true);
                return state == ConnectivityState.TRANSIENT_FAILURE || state == ConnectivityState.SHUTDOWN
                        ? HealthCheckResult.down("channel " + state)
                        : HealthCheckResult.of(HealthStatus.UP, "channel " + state);
            }

            @Override
            public boolean critical() {
                return false; // a dead dependency degrades the service, it stays ready
            }
        });
        return name;
    }

    /** An HTTP/1.1 client instrumented by {@link MartyHttpClient}. */
    static MartyHttpClient httpClient(MartyObservability observability) {
        return MartyHttpClient.wrap(
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build(),
                observability);
    }

    /** Keeps a service started by a {@code main} running until the JVM is asked to stop. */
    static void runUntilKilled(MartyObservability observability, DemoService service) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            observability.close();
        }));
        Thread.currentThread().join();
    }

    /** The int value of {@code name} in the environment or system properties, else {@code fallback}. */
    static int port(String name, int fallback) {
        String value = System.getProperty(name, System.getenv(name));
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'", e);
        }
    }

    /** The string value of {@code name} in the environment or system properties, else {@code fallback}. */
    static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Reads a JSON string or number field from a flat object (demo payloads only). */
    static String field(String json, String name) {
        if (json == null) {
            return null;
        }
        int key = json.indexOf('"' + name + '"');
        if (key < 0) {
            return null;
        }
        int colon = json.indexOf(':', key + name.length() + 2);
        if (colon < 0) {
            return null;
        }
        int start = colon + 1;
        while (start < json.length() && Character.isWhitespace(json.charAt(start))) {
            start++;
        }
        if (start >= json.length()) {
            return null;
        }
        if (json.charAt(start) == '"') {
            int end = json.indexOf('"', start + 1);
            return end < 0 ? null : json.substring(start + 1, end);
        }
        int end = start;
        while (end < json.length() && (Character.isLetterOrDigit(json.charAt(end)) || json.charAt(end) == '-')) {
            end++;
        }
        return json.substring(start, end);
    }

    /** Parses a long, or returns {@code fallback}. */
    static long toLong(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(Math.min(millis, 30_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
