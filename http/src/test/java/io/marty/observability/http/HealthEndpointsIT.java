package io.marty.observability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.marty.observability.core.health.HealthCheck;
import io.marty.observability.core.health.HealthCheckResult;
import io.marty.observability.core.health.HealthRegistry;
import io.marty.observability.core.health.HealthStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health endpoints served by the JDK HttpServer and by Jetty, over core's health registry. */
class HealthEndpointsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<HealthStatus> database = new AtomicReference<>(HealthStatus.UP);
    private HealthRegistry registry;
    private HttpServer jdk;
    private JettyTestServer jetty;

    @BeforeEach
    void start() throws Exception {
        registry = HealthRegistry.create(Duration.ofSeconds(2));
        registry.register(HealthCheck.ofStatus("database", database::get));
        registry.register(new HealthCheck() {
            @Override
            public String name() {
                return "cache";
            }

            @Override
            public HealthCheckResult check() {
                return HealthCheckResult.down("cache cluster unreachable");
            }

            @Override
            public boolean critical() {
                return false;
            }
        });
        HealthEndpoints endpoints = HealthEndpoints.create(registry);
        jdk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jdk.createContext("/health", endpoints.httpHandler());
        jdk.start();
        jetty = JettyTestServer.builder()
                .servlet("/health", endpoints.servlet())
                .servlet("/health/*", endpoints.servlet())
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        jdk.stop(0);
        jetty.close();
        registry.close();
    }

    private HttpResponse<String> get(String base, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String jdkBase() {
        return "http://127.0.0.1:" + jdk.getAddress().getPort();
    }

    @Test
    void nonCriticalDownDegradesButStaysReadyOnBothServers() throws Exception {
        for (String base : new String[] {jdkBase(), jetty.url("")}) {
            HttpResponse<String> summary = get(base, "/health");
            assertThat(summary.statusCode()).isEqualTo(200);
            JsonNode json = JSON.readTree(summary.body());
            assertThat(json.get("status").asText()).isEqualTo("DEGRADED");
            assertThat(json.get("checks").get("database").asText()).isEqualTo("UP");
            assertThat(json.get("checks").get("cache").asText()).isEqualTo("DOWN");
            assertThat(get(base, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(base, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(base, "/health/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void criticalDownMakesReadiness503ButLivenessStays200() throws Exception {
        database.set(HealthStatus.DOWN);
        for (String base : new String[] {jdkBase(), jetty.url("")}) {
            assertThat(get(base, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(get(base, "/health").statusCode()).isEqualTo(503);
            assertThat(get(base, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void detailedReportsDurationsAndHonoursCheckTimeouts() throws Exception {
        registry.register(new HealthCheck() {
            @Override
            public String name() {
                return "slow-dependency";
            }

            @Override
            public HealthCheckResult check() throws Exception {
                Thread.sleep(3_000);
                return HealthCheckResult.up();
            }

            @Override
            public Duration timeout() {
                return Duration.ofMillis(150);
            }
        });
        long start = System.nanoTime();
        HttpResponse<String> detailed = get(jdkBase(), "/health/detailed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
        assertThat(detailed.statusCode()).isEqualTo(503);
        assertThat(detailed.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode checks = JSON.readTree(detailed.body()).get("checks");
        assertThat(checks.get("slow-dependency").get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("database").get("status").asText()).isEqualTo("UP");
        assertThat(checks.get("database").has("duration_ms")).isTrue();
    }

    @Test
    void everyBodyIsValidJsonAndKeepsAwkwardTextExactlyOverBothServers() throws Exception {
        String name = "q\"u\\ote\u0001 \ud83d\ude00";
        String message = "line1\nline2\ttab\b\f\u001f é ✓ 😀";
        registry.register(HealthCheck.of(
                name, () -> HealthCheckResult.of(HealthStatus.DEGRADED, message, java.util.Map.of("k\r", "v\u0000"))));
        for (String base : new String[] {jdkBase(), jetty.url("")}) {
            JsonNode summary = JSON.readTree(get(base, "/health").body());
            assertThat(summary.get("checks").get(name).asText()).isEqualTo("DEGRADED");
            JsonNode detailed = JSON.readTree(get(base, "/health/detailed").body());
            JsonNode check = detailed.get("checks").get(name);
            assertThat(check.get("message").asText()).isEqualTo(message);
            assertThat(check.get("details").get("k\r").asText()).isEqualTo("v\u0000");
            assertThat(detailed.get("timestamp").asText()).endsWith("Z");
            assertThat(JSON.readTree(get(base, "/health/ready").body())
                            .get("status")
                            .asText())
                    .isEqualTo("DEGRADED");
            assertThat(JSON.readTree(get(base, "/health/live").body())
                            .get("status")
                            .asText())
                    .isEqualTo("UP");
            assertThat(JSON.readTree(get(base, "/health/nope").body())
                            .get("error")
                            .asText())
                    .isEqualTo("unknown health endpoint");
        }
    }

    @Test
    void jdkHandlerWorksWithoutTheServletApi() throws Exception {
        // only http, core and this test on the class path, as a service on the JDK HttpServer has them
        // (the servlet API is a provided dependency of the http module)
        URL[] classPath = {
            HealthEndpoints.class.getProtectionDomain().getCodeSource().getLocation(),
            HealthRegistry.class.getProtectionDomain().getCodeSource().getLocation(),
            JdkServerUse.class.getProtectionDomain().getCodeSource().getLocation()
        };
        try (URLClassLoader loader = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("jakarta.servlet.http.HttpServlet"))
                    .isInstanceOf(ClassNotFoundException.class);
            Supplier<?> use = (Supplier<?>) loader.loadClass(JdkServerUse.class.getName())
                    .getConstructor()
                    .newInstance();
            assertThat(use.get()).isInstanceOf(com.sun.net.httpserver.HttpHandler.class);
        }
    }

    /** Run inside the class loader without the servlet API: what a JDK HttpServer service does. */
    public static final class JdkServerUse implements Supplier<Object> {
        @Override
        public Object get() {
            return HealthEndpoints.create(HealthRegistry.create(Duration.ofSeconds(1)))
                    .httpHandler();
        }
    }
}
