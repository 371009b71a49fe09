package io.marty.observability.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.correlation.ContextExecutors;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JVM/process metrics and ContextExecutors thread-pool metrics, read from the real /metrics server. */
class RuntimeMetricsIT {
    private static final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static MartyObservability start(boolean jvm) {
        return MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("inventory")
                .exporter("none")
                .spanExporter(InMemorySpanExporter.create())
                .prometheusRegistry(new PrometheusRegistry())
                .prometheusPort(0)
                .prometheusHost("127.0.0.1")
                .jvmMetrics(jvm)
                .build());
    }

    private static String scrape(MartyObservability obs) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + obs.prometheusPort() + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void jvmAndProcessMetricsAreOnByDefaultWithTheServiceLabel() throws Exception {
        try (MartyObservability obs = start(true)) {
            String body = scrape(obs);
            for (String family : new String[] {
                "jvm_memory_used_bytes", "jvm_memory_pool_used_bytes", "jvm_gc_collection_seconds",
                "jvm_threads_current", "jvm_classes_currently_loaded", "jvm_buffer_pool_used_bytes",
                "process_cpu_seconds_total", "process_open_fds", "jvm_runtime_info"
            }) {
                assertThat(body).as(family).contains("\n" + family);
            }
            assertThat(body).containsPattern("jvm_memory_used_bytes\\{area=\"heap\",service=\"inventory\"} \\d");
        }
    }

    @Test
    void jvmMetricsCanBeSwitchedOffInCodeAndByEnvironment() throws Exception {
        try (MartyObservability obs = start(false)) {
            String body = scrape(obs);
            assertThat(body)
                    .doesNotContain("jvm_")
                    .doesNotContain("process_cpu")
                    .contains("mmf_service_build_info");
        }
        assertThat(ObservabilityConfig.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "s", "MMF_JVM_METRICS", "false"))
                        .jvmMetrics())
                .isFalse();
        assertThat(ObservabilityConfig.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "s"))
                        .jvmMetrics())
                .isTrue();
        assertThatThrownBy(() -> ObservabilityConfig.fromEnvironment(
                        Map.of("OTEL_SERVICE_NAME", "s", "MMF_JVM_METRICS", "maybe")))
                .hasMessageContaining("MMF_JVM_METRICS='maybe'");
    }

    @Test
    void wrappedThreadPoolReportsActiveQueuedCompletedAndRejected() throws Exception {
        try (MartyObservability obs = start(false)) {
            ThreadPoolExecutor raw = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
            ExecutorService pool = ContextExecutors.wrap("orders", raw);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            pool.execute(() -> {
                running.countDown();
                await(release);
            });
            running.await(5, TimeUnit.SECONDS);
            pool.execute(() -> {}); // waits in the queue
            assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
            String busy = scrape(obs);
            assertThat(busy)
                    .contains("mmf_executor_active_threads{pool=\"orders\",service=\"inventory\"} 1.0")
                    .contains("mmf_executor_queued_tasks{pool=\"orders\",service=\"inventory\"} 1.0")
                    .contains("mmf_executor_rejected_tasks_total{pool=\"orders\",service=\"inventory\"} 1.0");
            release.countDown();
            pool.shutdown();
            raw.awaitTermination(5, TimeUnit.SECONDS);
            // a terminated pool leaves the exposition
            assertThat(scrape(obs)).doesNotContain("pool=\"orders\"");
        }
    }

    @Test
    void completedTasksAreCounted() throws Exception {
        try (MartyObservability obs = start(false)) {
            ThreadPoolExecutor raw = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10));
            ExecutorService pool = ContextExecutors.wrap("io", raw);
            for (int i = 0; i < 5; i++) {
                pool.submit(() -> {}).get(5, TimeUnit.SECONDS);
            }
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> scrape(obs)
                            .contains("mmf_executor_completed_tasks_total{pool=\"io\",service=\"inventory\"} 5.0"));
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
