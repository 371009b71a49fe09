package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class BoundedAsyncAppenderTest {
    @AfterEach
    void clear() {
        MDC.clear();
        MartyLogging.bindMetrics(null);
    }

    /** Child appender that holds the worker on its first event until released. */
    static final class GateAppender extends AppenderBase<ILoggingEvent> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent e) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            messages.add(e.getFormattedMessage());
        }
    }

    private static BoundedAsyncAppender async(
            TestLogs logs, ch.qos.logback.core.Appender<ILoggingEvent> child, int queue, String policy) {
        BoundedAsyncAppender a = new BoundedAsyncAppender();
        a.setContext(logs.context);
        a.setName("ASYNC");
        a.setQueueSize(queue);
        a.setOverflowPolicy(policy);
        a.setBlockTimeoutMillis(30_000);
        child.setContext(logs.context);
        child.start();
        a.addAppender(child);
        a.start();
        logs.route(a);
        return a;
    }

    @Test
    void eightThreadsNoLostOrInterleavedLines() throws Exception {
        int threads = 8;
        int perThread = 4000;
        try (TestLogs logs = new TestLogs()) {
            BoundedAsyncAppender a = async(logs, logs.appender, 512, "block");
            Logger log = logs.context.getLogger("load");
            List<Thread> ts = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    MDC.put("correlation_id", "thread-" + id);
                    for (int i = 0; i < perThread; i++) {
                        log.atInfo()
                                .addKeyValue("t", id)
                                .addKeyValue("i", i)
                                .log("event {} of thread {} with \"quotes\"\nand newline", i, id);
                    }
                }));
            }
            ts.forEach(Thread::start);
            start.countDown();
            for (Thread t : ts) {
                t.join(60_000);
            }
            logs.context.stop(); // graceful close: flushes the queue
            List<JsonNode> lines = logs.lines();
            assertThat(lines).hasSize(threads * perThread);
            Set<String> seen = new HashSet<>();
            for (JsonNode n : lines) {
                int t = n.get("fields").get("t").asInt();
                assertThat(n.get("context").get("correlation_id").asText()).isEqualTo("thread-" + t);
                assertThat(seen.add(t + ":" + n.get("fields").get("i").asInt())).isTrue();
            }
            assertThat(seen).hasSize(threads * perThread);
            assertThat(a.getDropped(DropReason.QUEUE_TIMEOUT)).isZero();
        }
    }

    @Test
    void eightThreadsSynchronousAppenderNoInterleaving() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            Logger log = logs.logger("sync");
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                ts.add(new Thread(() -> {
                    for (int i = 0; i < 2000; i++) {
                        log.atInfo().addKeyValue("t", id).addKeyValue("i", i).log("x".repeat(i % 300));
                    }
                }));
            }
            ts.forEach(Thread::start);
            for (Thread t : ts) {
                t.join(60_000);
            }
            assertThat(logs.lines()).hasSize(16_000);
        }
    }

    @Test
    void stopWritesEveryAcceptedEvent() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            GateAppender gate = new GateAppender();
            BoundedAsyncAppender a = async(logs, gate, 1000, "drop_newest");
            Logger log = logs.context.getLogger("shutdown");
            log.info("first");
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 999; i++) {
                log.info("queued {}", i);
            }
            assertThat(a.getQueuedCount()).isEqualTo(999);
            gate.release.countDown();
            a.stop(); // returns only after the queue is flushed
            assertThat(gate.messages).hasSize(1000);
            assertThat(gate.messages.get(999)).isEqualTo("queued 998");
            assertThat(gate.isStarted()).isFalse();
            for (DropReason r : DropReason.values()) {
                assertThat(a.getDropped(r)).as(r.label()).isZero();
            }
        }
    }

    /** Holds the worker on "first", offers m0..m29 to a queue of 10, then lets it drain and stops. */
    private static List<String> overflow(TestLogs logs, String policy, long expectedDrops) throws Exception {
        GateAppender gate = new GateAppender();
        BoundedAsyncAppender a = async(logs, gate, 10, policy);
        Logger log = logs.context.getLogger("q");
        log.info("first");
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 30; i++) {
            log.info("m{}", i);
        }
        assertThat(a.getDropped(DropReason.QUEUE_FULL)).isEqualTo(expectedDrops);
        gate.release.countDown();
        a.stop();
        return gate.messages;
    }

    @Test
    void dropNewestKeepsTheFirstEventsAndCounts() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        MartyLogging.bindMetrics(registry);
        try (TestLogs logs = new TestLogs()) {
            assertThat(overflow(logs, "drop_newest", 20))
                    .containsExactly("first", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(droppedCount(registry, "queue_full")).isEqualTo(20.0);
        }
    }

    @Test
    void dropOldestKeepsTheNewestEvents() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            assertThat(overflow(logs, "drop_oldest", 20))
                    .hasSize(11)
                    .startsWith("first", "m20")
                    .endsWith("m29");
        }
    }

    @Test
    void dropNewestStillWaitsForErrorAndSecurityEvents() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            GateAppender gate = new GateAppender();
            BoundedAsyncAppender a = async(logs, gate, 1, "drop_newest");
            a.setBlockTimeoutMillis(30_000);
            Logger log = logs.context.getLogger("q");
            log.info("first");
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            log.info("a");
            log.info("b"); // full: dropped
            assertThat(a.getDropped(DropReason.QUEUE_FULL)).isEqualTo(1);
            Thread caller = Thread.currentThread();
            Thread releaser = new Thread(() -> {
                // release the worker only once the caller is parked waiting for room
                await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
                gate.release.countDown();
            });
            releaser.start();
            log.error("err"); // waits for room instead of being dropped
            log.atInfo().addMarker(LogCategory.AUDIT.marker()).log("audit");
            releaser.join(10_000);
            a.stop();
            assertThat(gate.messages).containsExactly("first", "a", "err", "audit");
            assertThat(a.getDropped(DropReason.QUEUE_FULL)).isEqualTo(1);
            assertThat(a.getDropped(DropReason.QUEUE_TIMEOUT)).isZero();
        }
    }

    @Test
    void blockWithTimeoutDropsOnlyAfterTheTimeout() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            GateAppender gate = new GateAppender();
            BoundedAsyncAppender a = async(logs, gate, 2, "block");
            a.setBlockTimeoutMillis(20);
            Logger log = logs.context.getLogger("q");
            log.info("first");
            assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
            log.info("a");
            log.info("b");
            log.info("c"); // waits 20 ms, then dropped
            assertThat(a.getDropped(DropReason.QUEUE_TIMEOUT)).isEqualTo(1);
            gate.release.countDown();
            a.stop();
            assertThat(gate.messages).containsExactly("first", "a", "b");
        }
    }

    @Test
    void mdcIsCapturedOnTheCallerThread() {
        try (TestLogs logs = new TestLogs()) {
            async(logs, logs.appender, 100, "drop_newest");
            MDC.put("request_id", "r-42");
            logs.context.getLogger("mdc").info("with context");
            MDC.clear();
            logs.context.getLogger("mdc").info("without");
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.text().split("\n").length == 2);
            List<JsonNode> lines = logs.lines();
            assertThat(lines.get(0).get("context").get("request_id").asText()).isEqualTo("r-42");
            assertThat(lines.get(1).has("context")).isFalse();
        }
    }

    @Test
    void badPolicyNamesTheValue() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BoundedAsyncAppender().setOverflowPolicy("yolo"))
                .hasMessageContaining("overflowPolicy")
                .hasMessageContaining("yolo");
    }

    static double droppedCount(PrometheusRegistry registry, String reason) {
        for (MetricSnapshot s : registry.scrape()) {
            if (s.getMetadata().getPrometheusName().equals("mmf_log_events_dropped")) {
                for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
                    if (reason.equals(p.getLabels().get("reason"))) {
                        return p.getValue();
                    }
                }
            }
        }
        return -1;
    }
}
