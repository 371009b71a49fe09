package io.marty.observability.benchmarks.hotpath;

import io.opentelemetry.sdk.common.export.MemoryMode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Companion to {@link SpanExportBenchmark} for a shared machine: <em>process</em> CPU time per exported span
 * (marshalling, the sender's threads and the in-process sink's, which stands in for a collector), with the
 * transports and batch sizes run round-robin in one JVM so that other load hits them alike. Prints the median
 * round per case. Cases are {@code sender:batchSize} ({@code jdk}, {@code okhttp}, {@code grpc}) or
 * {@code marshal:batchSize} (protobuf marshalling alone, no socket).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.marty.observability.benchmarks.hotpath.SpanExportCpuTime \
 *     [rounds] [spansPerRound] [jdk:512,jdk:2048,okhttp:512,grpc:512,marshal:512]
 * </pre>
 */
public final class SpanExportCpuTime {

    private SpanExportCpuTime() {}

    public static void main(String[] args) throws Throwable {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int spans = args.length > 1 ? Integer.parseInt(args[1]) : 40_960;
        String spec = args.length > 2 ? args[2] : "jdk:512,jdk:2048,okhttp:512,grpc:512,grpc:2048,marshal:512";
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> names = new ArrayList<>();
        List<SpanExportBenchmark> cases = new ArrayList<>();
        for (String c : spec.split(",")) {
            String[] p = c.split(":");
            SpanExportBenchmark b = new SpanExportBenchmark();
            b.memoryMode = MemoryMode.REUSABLE_DATA;
            b.compression = "none";
            b.batchSize = Integer.parseInt(p[1]);
            b.sender = p[0].equals("marshal") ? "jdk" : p[0];
            b.setUp();
            names.add(c);
            cases.add(b);
        }
        double[][] cpu = new double[cases.size()][rounds];
        double[][] wall = new double[cases.size()][rounds];
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up
            for (int i = 0; i < cases.size(); i++) {
                SpanExportBenchmark b = cases.get(i);
                boolean marshal = names.get(i).startsWith("marshal");
                int ops = Math.max(1, spans / b.batchSize);
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                for (int k = 0; k < ops; k++) {
                    if (marshal) {
                        b.marshalOnly();
                    } else {
                        b.exportBatch();
                    }
                }
                if (r >= 0) {
                    double n = (double) ops * b.batchSize;
                    cpu[i][r] = (os.getProcessCpuTime() - c0) / 1000.0 / n;
                    wall[i][r] = (System.nanoTime() - w0) / 1000.0 / n;
                }
            }
        }
        System.out.printf(
                Locale.ROOT, "%-14s %18s %12s %18s%n", "case", "CPU µs/span (med)", "min", "wall µs/span (med)");
        for (int i = 0; i < cases.size(); i++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-14s %18.2f %12.2f %18.2f%n",
                    names.get(i),
                    median(cpu[i]),
                    Arrays.stream(cpu[i]).min().orElse(0),
                    median(wall[i]));
        }
        for (SpanExportBenchmark b : cases) {
            b.tearDown();
        }
        System.exit(0);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
