package io.marty.observability.benchmarks.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.marty.observability.logging.BoundedAsyncAppender;
import io.marty.observability.logging.DropReason;
import io.marty.observability.logging.MartyJsonEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.MDC;

/**
 * The {@code ours-log} access-log path of the overhead benchmark, without HTTP: logger {@code
 * mmf.access}, SLF4J fluent API with 5 key-values, MDC changed per event (as per request), through
 * {@link BoundedAsyncAppender} to a {@code FileAppender} ({@code immediateFlush=false}) with {@link
 * MartyJsonEncoder} writing to {@code /dev/null} (real write syscalls, no disk growth).
 *
 * <ul>
 *   <li>{@code saturated}: one caller logging as fast as it can ({@code block} policy: the caller
 *       waits for the worker, so this is the end-to-end cost per event).
 *   <li>{@code saturated2}: the same with two callers (throughput: run with {@code -bm thrpt}).
 *   <li>{@code paced} vs {@code pacedBaseline}: one event per ~5 µs of simulated request work — the
 *       regime of the end-to-end benchmark, where the worker idles between events. The difference
 *       is the cost the caller sees; the teardown prints context switches and process CPU time per
 *       event (callers + worker), the figure that stays meaningful on a loaded machine.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar AsyncAppenderBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AsyncAppenderBenchmark {
    private static final String[] REQUEST_IDS = new String[1024];

    static {
        for (int i = 0; i < REQUEST_IDS.length; i++) {
            REQUEST_IDS[i] = String.format("c0ffee00-1234-4abc-8def-%012d", i);
        }
    }

    /** Simulated request work between two events of {@code paced} (Blackhole tokens). */
    @Param({"2000"})
    public int work;

    private LoggerContext context;
    private Logger access;
    private BoundedAsyncAppender async;
    private final LongAdder events = new LongAdder();
    private long switchesAtStart;
    private long cpuAtStart;

    @State(Scope.Thread)
    public static class Caller {
        int n;

        @Setup
        public void setup() {
            MDC.put("correlation_id", "7f8c2a9e-4b1d-4c36-9a57-0e2f3d4c5b6a");
            MDC.put("trace_id", "0af7651916cd43dd8448eb211c80319c");
            MDC.put("span_id", "b7ad6b7169203331");
        }
    }

    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void setup() throws IOException {
        context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();

        MartyJsonEncoder encoder = new MartyJsonEncoder();
        encoder.setContext(context);
        encoder.setServiceName("bench");
        encoder.start();

        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("JSON_FILE");
        Path devNull = Path.of("/dev/null");
        file.setFile(
                Files.exists(devNull)
                        ? devNull.toString()
                        : Files.createTempFile("bench", ".log").toString());
        file.setAppend(true);
        file.setImmediateFlush(false);
        file.setEncoder(encoder);
        file.start();

        async = new BoundedAsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(8192);
        // the caller waits for room: measures the whole path instead of the drop path
        async.setOverflowPolicy("block");
        async.setBlockTimeoutMillis(10_000);
        async.addAppender(file);
        async.start();

        access = context.getLogger("mmf.access");
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        access.addAppender(async);
        switchesAtStart = ContextSwitches.total();
        cpuAtStart = processCpuNanos();
    }

    /** CPU time of the whole JVM (callers, worker, JIT, GC): robust on a loaded machine, unlike wall time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void tearDown() {
        long switches = ContextSwitches.total() - switchesAtStart;
        long cpu = processCpuNanos() - cpuAtStart;
        long n = events.sum();
        context.stop();
        if (n > 0) {
            System.out.printf(
                    "%n[async] events=%d context switches=%d per event=%.3f process CPU ns/event=%d dropped(timeout)=%d%n",
                    n, switches, (double) switches / n, cpu / n, async.getDropped(DropReason.QUEUE_TIMEOUT));
        }
    }

    private void logOne(Caller c) {
        int i = c.n++;
        MDC.put("request_id", REQUEST_IDS[i & (REQUEST_IDS.length - 1)]);
        access.atInfo()
                .addKeyValue("category", "access")
                .addKeyValue("method", "GET")
                .addKeyValue("route", "/hello")
                .addKeyValue("status", 200)
                .addKeyValue("duration_ms", 0.042)
                .log("{} {} {} {}ms", "GET", "/hello", 200, 0);
    }

    @Benchmark
    public void saturated(Caller c) {
        logOne(c);
        events.increment();
    }

    @Benchmark
    @Threads(2)
    public void saturated2(Caller c) {
        logOne(c);
        events.increment();
    }

    @Benchmark
    public void paced(Caller c) {
        Blackhole.consumeCPU(work);
        logOne(c);
        events.increment();
    }

    @Benchmark
    public void pacedBaseline(Caller c) {
        Blackhole.consumeCPU(work);
        int i = c.n++;
        MDC.put("request_id", REQUEST_IDS[i & (REQUEST_IDS.length - 1)]);
        events.increment();
    }

    /** Voluntary + involuntary context switches of every thread of this JVM (Linux /proc). */
    static final class ContextSwitches {
        static long total() {
            long sum = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        for (String line : Files.readAllLines(t.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")
                                    || line.startsWith("nonvoluntary_ctxt_switches:")) {
                                sum += Long.parseLong(
                                        line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (IOException | RuntimeException threadGone) {
                        // a thread ended while listing
                    }
                }
            } catch (IOException e) {
                return 0;
            }
            return sum;
        }
    }
}
