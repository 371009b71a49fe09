package io.marty.observability.benchmarks.logging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Companion to {@link LogEncoderBenchmark} for a shared, oversubscribed machine: measures
 * <em>thread CPU time</em> per encoded event (robust against the thread being descheduled, which
 * inflates JMH's wall-clock figures there) and thread-allocated bytes per event, with the encoders
 * run round-robin so that noise hits all of them alike. Prints the median of the rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.marty.observability.benchmarks.logging.LogEncoderCpuTime [rounds] [opsPerRound]
 * </pre>
 */
public final class LogEncoderCpuTime {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        LogEncoderBenchmark b = new LogEncoderBenchmark();
        b.setup();
        Map<String, Callable<Object>> cases = new LinkedHashMap<>();
        cases.put("martyBytes", b::martyBytes);
        cases.put("martyStream", b::martyStream);
        cases.put("martyNoMaskStream", b::martyNoMaskStream);
        cases.put("logstashBytes", b::logstashBytes);
        cases.put("logstashStream", b::logstashStream);
        cases.put("patternLayoutBytes", b::patternLayoutBytes);

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        long tid = Thread.currentThread().getId();
        Map<String, double[]> cpu = new LinkedHashMap<>();
        Map<String, double[]> bytes = new LinkedHashMap<>();
        cases.keySet().forEach(k -> {
            cpu.put(k, new double[rounds]);
            bytes.put(k, new double[rounds]);
        });
        // warm-up: let the JIT compile every path
        for (int w = 0; w < 5; w++) {
            for (Callable<Object> c : cases.values()) {
                run(c, ops);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Callable<Object>> e : cases.entrySet()) {
                long a0 = alloc.getThreadAllocatedBytes(tid);
                long t0 = mx.getCurrentThreadCpuTime();
                run(e.getValue(), ops);
                long t1 = mx.getCurrentThreadCpuTime();
                long a1 = alloc.getThreadAllocatedBytes(tid);
                cpu.get(e.getKey())[r] = (t1 - t0) / (double) ops;
                bytes.get(e.getKey())[r] = (a1 - a0) / (double) ops;
            }
        }
        b.tearDown();
        System.out.printf(Locale.ROOT, "%-20s %14s %14s %14s%n", "case", "cpu ns/op(med)", "min ns/op", "B/op(med)");
        for (String k : cases.keySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-20s %14.1f %14.1f %14.1f%n",
                    k,
                    median(cpu.get(k)),
                    Arrays.stream(cpu.get(k)).min().orElse(0),
                    median(bytes.get(k)));
        }
    }

    private static volatile Object sink;

    private static void run(Callable<Object> c, int ops) throws Exception {
        Object last = null;
        for (int i = 0; i < ops; i++) {
            last = c.call();
        }
        sink = last;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private LogEncoderCpuTime() {}
}
