package io.marty.observability.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ContextExecutorsTest {
    private final ExecutorService raw = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService rawScheduled = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void shutdown() {
        raw.shutdownNow();
        rawScheduled.shutdownNow();
    }

    /** What a task saw: the correlation id from the context and from the MDC. */
    record Seen(String fromContext, String fromMdc) {
        static Seen now() {
            return new Seen(CorrelationContext.current().correlationId(), MDC.get(MdcKeys.CORRELATION_ID));
        }
    }

    private Seen afterwardsOnWorker() throws Exception {
        // an unwrapped task on the same single worker thread: context and MDC must be clean again
        return raw.submit(Seen::now).get(5, TimeUnit.SECONDS);
    }

    @Test
    void executorServiceCarriesContextAndMdcThenCleansUp() throws Exception {
        ExecutorService pool = ContextExecutors.wrap(raw);
        CorrelationContext c = CorrelationContext.newRoot();
        Seen inTask;
        try (Scope ignored = c.makeCurrent()) {
            inTask = pool.submit(Seen::now).get(5, TimeUnit.SECONDS);
        }
        assertThat(inTask).isEqualTo(new Seen(c.correlationId(), c.correlationId()));
        assertThat(afterwardsOnWorker()).isEqualTo(new Seen(null, null));
    }

    @Test
    void executorCarriesContext() throws Exception {
        Executor ex = ContextExecutors.wrap((Executor) raw);
        CorrelationContext c = CorrelationContext.newRoot();
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        try (Scope ignored = c.makeCurrent()) {
            ex.execute(() -> seen.complete(Seen.now()));
        }
        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(new Seen(c.correlationId(), c.correlationId()));
        assertThat(afterwardsOnWorker()).isEqualTo(new Seen(null, null));
    }

    @Test
    void scheduledExecutorCarriesContext() throws Exception {
        ScheduledExecutorService ses = ContextExecutors.wrap(rawScheduled);
        CorrelationContext c = CorrelationContext.newRoot();
        Seen seen;
        try (Scope ignored = c.makeCurrent()) {
            seen = ses.schedule(Seen::now, 10, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        }
        assertThat(seen).isEqualTo(new Seen(c.correlationId(), c.correlationId()));
        Seen after = rawScheduled.submit(Seen::now).get(5, TimeUnit.SECONDS);
        assertThat(after).isEqualTo(new Seen(null, null));
    }

    @Test
    void completableFutureHelpersCarryContext() throws Exception {
        CorrelationContext c = CorrelationContext.newRoot();
        CompletableFuture<Seen> supplied;
        CompletableFuture<Void> ran;
        CompletableFuture<Seen> common;
        Map<String, Seen> box = new java.util.concurrent.ConcurrentHashMap<>();
        try (Scope ignored = c.makeCurrent()) {
            supplied = ContextExecutors.supplyAsync(Seen::now, raw);
            ran = ContextExecutors.runAsync(() -> box.put("run", Seen.now()), raw);
            common = ContextExecutors.supplyAsync(Seen::now);
        }
        Seen expected = new Seen(c.correlationId(), c.correlationId());
        assertThat(supplied.get(5, TimeUnit.SECONDS)).isEqualTo(expected);
        ran.get(5, TimeUnit.SECONDS);
        assertThat(box.get("run")).isEqualTo(expected);
        assertThat(common.get(5, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(afterwardsOnWorker()).isEqualTo(new Seen(null, null));
    }

    @Test
    void unwrappedExecutorDoesNotCarryContext() throws Exception {
        // guards the tests above: without the wrapper nothing arrives
        try (Scope ignored = CorrelationContext.newRoot().makeCurrent()) {
            assertThat(raw.submit(Seen::now).get(5, TimeUnit.SECONDS)).isEqualTo(new Seen(null, null));
        }
    }

    @Test
    void virtualThreadsReportAvailability() {
        boolean jdk21 = Runtime.version().feature() >= 21;
        assertThat(ContextExecutors.virtualThreadsAvailable()).isEqualTo(jdk21);
        if (!jdk21) {
            org.assertj.core.api.Assertions.assertThatThrownBy(ContextExecutors::newVirtualThreadPerTaskExecutor)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Java 21");
        }
    }
}
