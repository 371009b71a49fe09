package io.marty.observability.benchmarks.hotpath;

import io.opentelemetry.sdk.common.export.MemoryMode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Companion to {@link SpanExportBenchmark} for a shared machine: CPU time per exported span, with the transports and
 * batch sizes run round-robin in one JVM so that other load hits them alike. Two figures per case: the
 * <em>exporter</em> side (what the application pays: marshalling, the sender's threads, GC) and the <em>process</em>
 * total, which also holds the in-process sink that stands in for a collector and the JIT compiler. The exporter side
 * is the process CPU minus the CPU of the sink's threads (read per thread, see {@link #isSinkThread}) and of the JIT
 * compiler threads: switching cases round by round keeps deoptimizing and recompiling the shared code, a cost that a
 * service exporting with one configuration pays once at warm-up, not per span. Prints the median and best round per
 * case, then each case's CPU split by thread group.
 *
 * <p>Cases are {@code sender:batchSize[:option]} with sender {@code jdk} (Marty's OTLP/HTTP sender), {@code okhttp}
 * or {@code grpc}, or {@code marshal:batchSize[:option]} (protobuf marshalling alone, no socket); option
 * {@code immutable} exports with {@code MemoryMode.IMMUTABLE_DATA} (else {@code REUSABLE_DATA}, the SDK default),
 * {@code gzip} compresses the body (else none, the default).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.marty.observability.benchmarks.hotpath.SpanExportCpuTime \
 *     [rounds] [spansPerRound] [jdk:512,jdk:2048,jdk:2048:gzip,marshal:512,...]
 * </pre>
 */
public final class SpanExportCpuTime {
    static final String DEFAULT_CASES = "jdk:512,jdk:2048,jdk:4096,jdk:8192,jdk:2048:immutable,jdk:2048:gzip,"
            + "okhttp:512,grpc:512,grpc:2048,marshal:512,marshal:2048";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String SINK = "[sink] ";
    private static final String JVM = "[jvm] ";
    private static final String JIT = JVM + "C# Comp";
    private static final Pattern JVM_THREAD = Pattern.compile("GC Thread|G1 |C1 Comp|C2 Comp|VM Thread|VM Periodic");

    private SpanExportCpuTime() {}

    public static void main(String[] args) throws Throwable {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        // process CPU comes in 10 ms ticks on Linux: 163,840 spans keep that under 0.07 µs per span
        int spans = args.length > 1 ? Integer.parseInt(args[1]) : 163_840;
        String spec = args.length > 2 ? args[2] : DEFAULT_CASES;
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot read per-thread CPU time; the sink's share is unknown");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> names = new ArrayList<>();
        List<SpanExportBenchmark> cases = new ArrayList<>();
        for (String c : spec.split(",")) {
            cases.add(setUp(c));
            names.add(c);
        }
        double[][] exporter = new double[cases.size()][rounds];
        double[][] total = new double[cases.size()][rounds];
        double[][] sink = new double[cases.size()][rounds];
        double[][] jit = new double[cases.size()][rounds];
        double[][] wall = new double[cases.size()][rounds];
        List<Map<String, Long>> byThread = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            byThread.add(new HashMap<>());
        }
        double[] measuredSpans = new double[cases.size()];
        long[] processNanos = new long[cases.size()];
        Set<String> sinkThreads = new TreeSet<>();
        Set<String> otherThreads = new TreeSet<>();
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up
            for (int i = 0; i < cases.size(); i++) {
                SpanExportBenchmark b = cases.get(i);
                boolean marshal = names.get(i).startsWith("marshal");
                int ops = Math.max(1, spans / b.batchSize);
                // lets the previous case's asynchronous work (response callbacks, connection housekeeping) finish
                // outside this case's window
                Thread.sleep(100);
                Map<String, Long> t0 = threadCpuNanos(null, null);
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                for (int k = 0; k < ops; k++) {
                    if (marshal) {
                        b.marshalOnly();
                    } else {
                        b.exportBatch();
                    }
                }
                long w1 = System.nanoTime();
                long c1 = os.getProcessCpuTime();
                Map<String, Long> t1 = threadCpuNanos(sinkThreads, otherThreads);
                if (r >= 0) {
                    double n = (double) ops * b.batchSize;
                    total[i][r] = (c1 - c0) / 1000.0 / n;
                    sink[i][r] = (sum(t1, SINK) - sum(t0, SINK)) / 1000.0 / n;
                    jit[i][r] = (sum(t1, JIT) - sum(t0, JIT)) / 1000.0 / n;
                    addDelta(byThread.get(i), t0, t1);
                    measuredSpans[i] += n;
                    processNanos[i] += c1 - c0;
                    exporter[i][r] = total[i][r] - sink[i][r] - jit[i][r];
                    wall[i][r] = (w1 - w0) / 1000.0 / n;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%-18s %14s %8s %14s %8s %11s %10s %11s%n",
                "case",
                "exporter (med)",
                "best",
                "process (med)",
                "best",
                "sink (med)",
                "JIT (med)",
                "wall (med)");
        for (int i = 0; i < cases.size(); i++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-18s %14.2f %8.2f %14.2f %8.2f %11.2f %10.2f %11.2f%n",
                    names.get(i),
                    median(exporter[i]),
                    min(exporter[i]),
                    median(total[i]),
                    min(total[i]),
                    median(sink[i]),
                    median(jit[i]),
                    median(wall[i]));
        }
        System.out.println("(CPU and wall µs per span; exporter = process − sink threads − JIT compiler threads)");
        System.out.println();
        System.out.println("CPU µs per span by thread group, all measured rounds (" + SINK + "= sink, " + JVM
                + "= GC, JIT, VM thread; rest = process − these):");
        for (int i = 0; i < cases.size(); i++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s", names.get(i)));
            long javaThreads = 0;
            List<Map.Entry<String, Long>> groups =
                    new ArrayList<>(byThread.get(i).entrySet());
            groups.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            for (Map.Entry<String, Long> e : groups) {
                javaThreads += e.getValue();
                double us = e.getValue() / 1000.0 / measuredSpans[i];
                if (us >= 0.02) {
                    line.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(), us));
                }
            }
            line.append(String.format(
                    Locale.ROOT, " rest %.2f", (processNanos[i] - javaThreads) / 1000.0 / measuredSpans[i]));
            System.out.println(line);
        }
        System.out.println("sink threads: " + sinkThreads);
        System.out.println("other threads: " + otherThreads);
        for (SpanExportBenchmark b : cases) {
            b.tearDown();
        }
        System.exit(0);
    }

    /** The benchmark state for one {@code sender:batchSize[:option]} case, set up (sink, exporter, batch). */
    static SpanExportBenchmark setUp(String c) throws java.io.IOException {
        String[] p = c.split(":");
        if (p.length < 2 || p.length > 3) {
            throw new IllegalArgumentException("case must be sender:batchSize[:option], got '" + c + "'");
        }
        String option = p.length == 3 ? p[2] : "";
        if (!option.isEmpty() && !option.equals("immutable") && !option.equals("gzip")) {
            throw new IllegalArgumentException("option must be immutable or gzip, got '" + option + "' in '" + c + "'");
        }
        SpanExportBenchmark b = new SpanExportBenchmark();
        b.memoryMode = option.equals("immutable") ? MemoryMode.IMMUTABLE_DATA : MemoryMode.REUSABLE_DATA;
        b.compression = option.equals("gzip") ? "gzip" : "none";
        b.batchSize = Integer.parseInt(p[1]);
        b.sender = p[0].equals("marshal") ? "jdk" : p[0];
        b.setUp();
        return b;
    }

    /**
     * Threads of the in-process sink: the OTLP/HTTP sink's handler ({@link SpanExportBenchmark#SINK_THREAD}) and its
     * JDK {@code HttpServer} dispatcher, and grpc-java's server threads ({@code grpc-nio-*} event loops, {@code
     * grpc-default-executor-*}). The exporters' threads are named otherwise: {@code jdkhttp-executor}, {@code
     * HttpClient-*} (JDK sender), {@code OkHttp *} (OkHttp, also the OTLP/gRPC exporter's sender, not grpc-java).
     */
    static boolean isSinkThread(String name) {
        return name.startsWith(SpanExportBenchmark.SINK_THREAD)
                || name.equals("HTTP-Dispatcher")
                || name.startsWith("grpc-");
    }

    /**
     * CPU time of the live threads by group (name with its numbers replaced by {@code #}, sink threads marked); the
     * names seen on each side are recorded when the sets are given.
     */
    private static Map<String, Long> threadCpuNanos(Set<String> sinkNames, Set<String> otherNames) {
        Map<String, Long> groups = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue; // ended since getAllThreadIds
            }
            long ns = THREADS.getThreadCpuTime(t.getThreadId());
            if (ns <= 0) {
                continue;
            }
            String name = t.getThreadName();
            boolean sink = isSinkThread(name);
            Set<String> seen = sink ? sinkNames : otherNames;
            if (seen != null) {
                seen.add(name);
            }
            groups.merge((sink ? SINK : "") + DIGITS.matcher(name).replaceAll("#"), ns, Long::sum);
        }
        jvmThreadNanos(groups);
        return groups;
    }

    /**
     * Adds the CPU time of the JVM's own threads (GC, JIT compilers, VM thread), which the thread MX bean does not
     * list, read from Linux's {@code /proc/self/task/<tid>/schedstat} (ns on CPU) and grouped by thread name; nothing
     * elsewhere.
     */
    private static void jvmThreadNanos(Map<String, Long> groups) {
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return;
        }
        for (java.io.File task : tasks) {
            try {
                String comm = java.nio.file.Files.readString(task.toPath().resolve("comm"))
                        .trim();
                if (!JVM_THREAD.matcher(comm).lookingAt()) {
                    continue;
                }
                String schedstat = java.nio.file.Files.readString(task.toPath().resolve("schedstat"));
                long ns = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                groups.merge(JVM + DIGITS.matcher(comm).replaceAll("#"), ns, Long::sum);
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended while being read
            }
        }
    }

    /** CPU time of the groups whose name starts with {@code prefix}. */
    private static long sum(Map<String, Long> groups, String prefix) {
        long sum = 0;
        for (Map.Entry<String, Long> e : groups.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** Adds {@code after - before} per group into {@code into}. */
    private static void addDelta(Map<String, Long> into, Map<String, Long> before, Map<String, Long> after) {
        after.forEach((group, ns) -> into.merge(group, ns - before.getOrDefault(group, 0L), Long::sum));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }
}
