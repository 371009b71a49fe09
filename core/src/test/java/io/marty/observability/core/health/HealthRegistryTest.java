package io.marty.observability.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {
    private final HealthRegistry health = HealthRegistry.create(Duration.ofMillis(300));
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        health.close();
    }

    @Test
    void noChecksIsUp() {
        HealthReport r = health.check();
        assertThat(r.status()).isEqualTo(HealthStatus.UP);
        assertThat(r.httpStatus()).isEqualTo(200);
    }

    @Test
    void aggregatesToTheWorstStatus() {
        health.register(HealthCheck.ofStatus("db", () -> HealthStatus.UP));
        health.register(HealthCheck.of("cache", () -> HealthCheckResult.degraded("slow")));
        assertThat(health.check().status()).isEqualTo(HealthStatus.DEGRADED);
        health.register(HealthCheck.of("broker", () -> {
            throw new IllegalStateException("connection refused");
        }));
        HealthReport r = health.check();
        assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(r.httpStatus()).isEqualTo(503);
        assertThat(r.results().get("broker").message()).isEqualTo("IllegalStateException: connection refused");
        assertThat(r.results().keySet()).containsExactlyInAnyOrder("db", "cache", "broker");
    }

    @Test
    void nonCriticalDownOnlyDegrades() {
        health.register(new HealthCheck() {
            @Override
            public String name() {
                return "optional";
            }

            @Override
            public HealthCheckResult check() {
                return HealthCheckResult.down("gone");
            }

            @Override
            public boolean critical() {
                return false;
            }
        });
        assertThat(health.check().status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void hungCheckIsDownAfterItsTimeoutThenUnknownWhileStuck() {
        health.register(HealthCheck.of("hung", () -> {
            // ignores interruption, like a stuck driver call
            while (true) {
                try {
                    if (release.await(10, TimeUnit.SECONDS)) {
                        return HealthCheckResult.up();
                    }
                } catch (InterruptedException ignored) {
                    // keep hanging
                }
            }
        }));
        health.register(HealthCheck.ofStatus("fine", () -> HealthStatus.UP));
        HealthReport first = health.check();
        assertThat(first.results().get("hung").status()).isEqualTo(HealthStatus.DOWN);
        assertThat(first.results().get("hung").message()).isEqualTo("timed out after 300ms");
        assertThat(first.results().get("fine").status()).isEqualTo(HealthStatus.UP);
        assertThat(first.status()).isEqualTo(HealthStatus.DOWN);
        HealthReport second = health.check();
        assertThat(second.results().get("hung").status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(second.results().get("hung").message()).contains("still in progress");
        assertThat(second.results().get("fine").status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void concurrentCallersShareARunInProgress() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        health.register(new HealthCheck() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public HealthCheckResult check() throws Exception {
                runs.incrementAndGet();
                started.countDown();
                release.await(5, TimeUnit.SECONDS);
                return HealthCheckResult.up();
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(10);
            }
        });
        java.util.List<Thread> callerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r);
            callerThreads.add(t);
            return t;
        });
        try {
            var first = callers.submit(() -> health.check());
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            var second = callers.submit(() -> health.check());
            // both callers are blocked waiting for a result before the check is allowed to finish
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> callerThreads.size() == 2
                            && callerThreads.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(HealthStatus.UP);
            assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(HealthStatus.UP);
            assertThat(runs).hasValue(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void perCheckTimeoutOverridesTheDefault() {
        health.register(new HealthCheck() {
            @Override
            public String name() {
                return "slow-but-allowed";
            }

            @Override
            public HealthCheckResult check() throws Exception {
                Thread.sleep(400);
                return HealthCheckResult.up();
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(5);
            }
        });
        assertThat(health.check("slow-but-allowed").status()).isEqualTo(HealthStatus.UP);
        assertThat(health.check("missing").status()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void duplicateNamesAreRejectedAndUnregisterWorks() {
        health.register(HealthCheck.ofStatus("db", () -> HealthStatus.UP));
        assertThatThrownBy(() -> health.register(HealthCheck.ofStatus("db", () -> HealthStatus.UP)))
                .hasMessageContaining("'db'");
        assertThat(health.unregister("db")).isTrue();
        assertThat(health.names()).isEmpty();
    }

    @Test
    void reportAsJson() {
        health.register(HealthCheck.of(
                "db", () -> HealthCheckResult.of(HealthStatus.DEGRADED, "pool \"low\"", Map.of("active", "9"))));
        String json = health.check().toJson();
        assertThat(json)
                .startsWith("{\"status\":\"DEGRADED\",\"timestamp\":\"")
                .contains("\"db\":{\"status\":\"DEGRADED\",\"duration_ms\":")
                .contains("\"message\":\"pool \\\"low\\\"\"")
                .contains("\"details\":{\"active\":\"9\"}");
    }

    @Test
    void statusOrdering() {
        assertThat(HealthStatus.UP.worst(HealthStatus.DEGRADED)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.DOWN.worst(HealthStatus.UNKNOWN)).isEqualTo(HealthStatus.DOWN);
        assertThat(HealthStatus.DEGRADED.worst(HealthStatus.UNKNOWN)).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.DEGRADED.isAvailable()).isTrue();
        assertThat(HealthStatus.UNKNOWN.httpStatus()).isEqualTo(503);
    }
}
