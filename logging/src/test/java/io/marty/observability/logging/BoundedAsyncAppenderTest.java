package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        return async(logs, child, queue, policy, a -> {});
    }

    private static BoundedAsyncAppender async(
            TestLogs logs,
            ch.qos.logback.core.Appender<ILoggingEvent> child,
            int queue,
            String policy,
            Consumer<BoundedAsyncAppender> config) {
        BoundedAsyncAppender a = new BoundedAsyncAppender();
        a.setContext(logs.context);
        a.setName("ASYNC");
        a.setQueueSize(queue);
        a.setOverflowPolicy(policy);
        a.setBlockTimeoutMillis(30_000);
        child.setContext(logs.context);
        child.start();
        a.addAppender(child);
        config.accept(a);
        a.start();
        logs.route(a);
        return a;
    }

    /** An async appender whose worker is held inside the gate on the event "first". */
    record Held(GateAppender gate, BoundedAsyncAppender async, Logger log) {}

    private static Held held(TestLogs logs, int queue, String policy) throws InterruptedException {
        GateAppender gate = new GateAppender();
        BoundedAsyncAppender a = async(logs, gate, queue, policy);
        Logger log = logs.context.getLogger("q");
        log.info("first");
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        return new Held(gate, a, log);
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
            Held h = held(logs, 1000, "drop_newest");
            for (int i = 0; i < 999; i++) {
                h.log().info("queued {}", i);
            }
            assertThat(h.async().getQueuedCount()).isEqualTo(999);
            h.gate().release.countDown();
            h.async().stop(); // returns only after the queue is flushed
            assertThat(h.gate().messages).hasSize(1000);
            assertThat(h.gate().messages.get(999)).isEqualTo("queued 998");
            assertThat(h.gate().isStarted()).isFalse();
            for (DropReason r : DropReason.values()) {
                assertThat(h.async().getDropped(r)).as(r.label()).isZero();
            }
        }
    }

    /** Holds the worker on "first", offers m0..m29 to a queue of 10, then lets it drain and stops. */
    private static List<String> overflow(TestLogs logs, String policy, long expectedDrops) throws Exception {
        Held h = held(logs, 10, policy);
        for (int i = 0; i < 30; i++) {
            h.log().info("m{}", i);
        }
        assertThat(h.async().getDropped(DropReason.QUEUE_FULL)).isEqualTo(expectedDrops);
        h.gate().release.countDown();
        h.async().stop();
        return h.gate().messages;
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
            Held h = held(logs, 1, "drop_newest");
            h.log().info("a");
            h.log().info("b"); // full: dropped
            assertThat(h.async().getDropped(DropReason.QUEUE_FULL)).isEqualTo(1);
            Thread caller = Thread.currentThread();
            Thread releaser = new Thread(() -> {
                // release the worker only once the caller is parked waiting for room
                await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
                h.gate().release.countDown();
            });
            releaser.start();
            h.log().error("err"); // waits for room instead of being dropped
            h.log().atInfo().addMarker(LogCategory.AUDIT.marker()).log("audit");
            releaser.join(10_000);
            h.async().stop();
            assertThat(h.gate().messages).containsExactly("first", "a", "err", "audit");
            assertThat(h.async().getDropped(DropReason.QUEUE_FULL)).isEqualTo(1);
            assertThat(h.async().getDropped(DropReason.QUEUE_TIMEOUT)).isZero();
        }
    }

    @Test
    void blockWithTimeoutDropsOnlyAfterTheTimeout() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            Held h = held(logs, 2, "block");
            h.async().setBlockTimeoutMillis(20);
            h.log().info("a");
            h.log().info("b");
            h.log().info("c"); // waits 20 ms, then dropped
            assertThat(h.async().getDropped(DropReason.QUEUE_TIMEOUT)).isEqualTo(1);
            h.gate().release.countDown();
            h.async().stop();
            assertThat(h.gate().messages).containsExactly("first", "a", "b");
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

    /** A collecting child that never blocks. */
    private static GateAppender collector(TestLogs logs) {
        GateAppender c = new GateAppender();
        c.release.countDown();
        c.setContext(logs.context);
        c.start();
        return c;
    }

    private static void runThreads(int threads, java.util.function.IntConsumer body) throws InterruptedException {
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(new Thread(() -> body.accept(id)));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join(60_000);
        }
    }

    /** Every child (JSON stream child encoded in batches, plain doAppend child) sees each thread's order. */
    @Test
    void manyThreadsArriveInOrderPerThreadAndNothingIsLostBelowCapacity() throws Exception {
        int threads = 6;
        int perThread = 1500;
        try (TestLogs logs = new TestLogs()) {
            GateAppender list = collector(logs);
            BoundedAsyncAppender a =
                    async(logs, logs.appender, threads * perThread, "drop_newest", x -> x.addAppender(list));
            Logger log = logs.context.getLogger("order");
            runThreads(threads, id -> {
                for (int i = 0; i < perThread; i++) {
                    log.atInfo().addKeyValue("t", id).addKeyValue("i", i).log("{} {}", id, i);
                }
            });
            a.stop();
            int[] nextJson = new int[threads];
            for (JsonNode n : logs.lines()) {
                int t = n.get("fields").get("t").asInt();
                assertThat(n.get("fields").get("i").asInt()).isEqualTo(nextJson[t]++);
            }
            int[] nextList = new int[threads];
            for (String m : list.messages) {
                String[] parts = m.split(" ");
                int t = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(nextList[t]++);
            }
            for (int t = 0; t < threads; t++) {
                assertThat(nextJson[t]).as("JSON lines of thread %d", t).isEqualTo(perThread);
                assertThat(nextList[t]).as("events of thread %d", t).isEqualTo(perThread);
            }
            for (DropReason r : DropReason.values()) {
                assertThat(a.getDropped(r)).as(r.label()).isZero();
            }
        }
    }

    @Test
    void dropsAboveCapacityAreCountedFromManyThreads() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            Held h = held(logs, 50, "drop_newest");
            runThreads(4, id -> {
                for (int i = 0; i < 100; i++) {
                    h.log().info("t{} {}", id, i);
                }
            });
            assertThat(h.async().getDropped(DropReason.QUEUE_FULL)).isEqualTo(350);
            assertThat(h.async().getQueuedCount()).isEqualTo(50);
            h.gate().release.countDown();
            h.async().stop();
            assertThat(h.gate().messages).hasSize(51);
        }
    }

    @Test
    void stopGivesUpAfterMaxFlushTimeAndCountsWhatIsLeft() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            Held h = held(logs, 100, "drop_newest"); // the gate holds the worker for 10 s
            h.async().setMaxFlushTimeMillis(200);
            for (int i = 0; i < 40; i++) {
                h.log().info("queued {}", i);
            }
            long start = System.nanoTime();
            h.async().stop();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // waited for the bound, but not for the stuck child (10 s)
            assertThat(tookMillis).isBetween(190L, 5_000L);
            assertThat(h.gate().messages).containsExactly("first");
            assertThat(h.async().getDropped(DropReason.SHUTDOWN)).isEqualTo(40);
        }
    }

    /** A lost wake-up would leave the event queued for the 60 s idle sleep. */
    @Test
    void sleepingWorkerIsWokenByTheNextEvent() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            GateAppender list = collector(logs);
            BoundedAsyncAppender a = async(
                    logs, list, 100, "drop_newest", x -> x.setIdleTiming(2_000_000, 3, TimeUnit.SECONDS.toNanos(60)));
            Logger log = logs.context.getLogger("idle");
            for (int round = 1; round <= 5; round++) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> a.workerState().equals("sleeping"));
                log.info("after idle {}", round);
                int expected = round;
                await().atMost(Duration.ofSeconds(5)).until(() -> list.messages.size() == expected);
            }
        }
    }

    /** The worker naps for 60 s here: only a wake-up delivers these events in time. */
    @Test
    void priorityEventsTheThresholdAndStopWakeTheNappingWorker() throws Exception {
        try (TestLogs logs = new TestLogs()) {
            GateAppender list = collector(logs);
            long minute = TimeUnit.SECONDS.toNanos(60);
            BoundedAsyncAppender a =
                    async(logs, list, 10, "drop_newest", x -> x.setIdleTiming(minute, Integer.MAX_VALUE, minute));
            Logger log = logs.context.getLogger("nap");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.workerState().equals("napping"));
            log.info("below threshold");
            log.error("error wakes");
            await().atMost(Duration.ofSeconds(5)).until(() -> list.messages.size() == 2);
            assertThat(list.messages).containsExactly("below threshold", "error wakes");

            await().atMost(Duration.ofSeconds(10)).until(() -> a.workerState().equals("napping"));
            for (int i = 0; i < 5; i++) {
                log.info("half full {}", i); // the 5th reaches the threshold (queue 10 / 2)
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> list.messages.size() == 7);

            await().atMost(Duration.ofSeconds(10)).until(() -> a.workerState().equals("napping"));
            log.info("last");
            a.stop(); // wakes the worker, which writes "last" well inside maxFlushTime
            assertThat(list.messages).hasSize(8).endsWith("last");
            assertThat(a.getDropped(DropReason.SHUTDOWN)).isZero();
        }
    }

    /** Stream children with immediateFlush=false are flushed once per batch, not only when full or stopped. */
    @Test
    void bufferedFileChildrenAreFlushedPerBatch(@TempDir Path dir) throws Exception {
        try (TestLogs logs = new TestLogs()) {
            FileAppender<ILoggingEvent> direct = file(logs, dir.resolve("direct.log"));
            FileAppender<ILoggingEvent> filtered = file(logs, dir.resolve("filtered.log"));
            filtered.addFilter(new Filter<>() {
                @Override
                public FilterReply decide(ILoggingEvent event) {
                    return FilterReply.NEUTRAL; // a filter forces the per-event doAppend path
                }
            });
            async(logs, direct, 100, "drop_newest", x -> x.addAppender(filtered));
            Logger log = logs.context.getLogger("file");
            for (int i = 0; i < 3; i++) {
                log.info("line {}", i);
            }
            for (Path p : List.of(dir.resolve("direct.log"), dir.resolve("filtered.log"))) {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> Files.readAllLines(p).size() == 3);
                for (String line : Files.readAllLines(p)) {
                    assertThat(TestLogs.JSON.readTree(line).get("message").asText())
                            .startsWith("line ");
                }
            }
        }
    }

    private static FileAppender<ILoggingEvent> file(TestLogs logs, Path path) {
        MartyJsonEncoder enc = new MartyJsonEncoder();
        enc.setContext(logs.context);
        enc.setServiceName("orders");
        enc.start();
        FileAppender<ILoggingEvent> f = new FileAppender<>();
        f.setContext(logs.context);
        f.setName(path.getFileName().toString());
        f.setFile(path.toString());
        f.setImmediateFlush(false);
        f.setEncoder(enc);
        f.start();
        return f;
    }

    @Test
    void badBatchSettingsNameTheKey() {
        BoundedAsyncAppender a = new BoundedAsyncAppender();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.setParkMillis(0))
                .hasMessageContaining("parkMillis")
                .hasMessageContaining("0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.setWakeThreshold(-3))
                .hasMessageContaining("wakeThreshold")
                .hasMessageContaining("-3");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.setMaxBatchSize(0))
                .hasMessageContaining("maxBatchSize");
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
