package io.marty.observability.benchmarks.mining;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Same-JVM A/B comparison of two builds of the miner on the 12 Loghub-2k datasets' mix, robust to
 * a machine shared with other work: build A's and build B's mining classes are each loaded through
 * their own class loader (so each is JIT-compiled on its own), and short passes over the mix
 * alternate A B B A ... many times. Each pair gives a ratio of thread CPU times; the report is the
 * median ratio after warm-up with its quartiles and a 95 % confidence interval, per dataset too,
 * plus allocated bytes per line (independent of time, hence of the load).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar
 * io.marty.observability.benchmarks.mining.MinerThroughput mix-ab BEFORE [pairs] [AFTER]}: {@code
 * BEFORE} and {@code AFTER} are class folders or jars holding a build's {@code
 * io.marty.observability.loganalysis.mining} classes; {@code AFTER} defaults to the classes on the
 * classpath. A ratio above 1 means the after build mines more lines per CPU-second.
 */
final class MinerAb {
    private static final String MINING = "io.marty.observability.loganalysis.mining.";
    private static final int WARMUP_PAIRS = 40;

    private MinerAb() {}

    static void run(String before, int pairs, String after) {
        List<List<String>> mix = TemplateMinerBenchmark.loadMix();
        ToLongFunction<List<String>> a = load(before);
        ToLongFunction<List<String>> b = after == null ? load(null) : load(after);
        int sets = mix.size();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        double[] ratios = new double[pairs];
        double[][] perSet = new double[sets][pairs];
        long[] cpuA = new long[sets];
        long[] cpuB = new long[sets];
        long[] alloc = new long[2];
        long[][] setTotal = new long[2][sets];
        long sumA = 0;
        long sumB = 0;
        long checkA = 0;
        long checkB = 0;
        for (int k = -WARMUP_PAIRS; k < pairs; k++) {
            boolean aFirst = (k & 1) == 0; // A B, then B A: drift in the machine's load cancels
            for (int side = 0; side < 2; side++) {
                boolean isA = aFirst == (side == 0);
                ToLongFunction<List<String>> pass = isA ? a : b;
                long[] cpu = isA ? cpuA : cpuB;
                long m0 = threads.getThreadAllocatedBytes(self);
                long check = 0;
                for (int d = 0; d < sets; d++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    check += pass.applyAsLong(mix.get(d));
                    cpu[d] = threads.getCurrentThreadCpuTime() - c0;
                }
                if (k >= 0) {
                    alloc[isA ? 0 : 1] += threads.getThreadAllocatedBytes(self) - m0;
                }
                if (isA) {
                    checkA = check;
                } else {
                    checkB = check;
                }
            }
            if (k < 0) {
                continue;
            }
            long ta = Arrays.stream(cpuA).sum();
            long tb = Arrays.stream(cpuB).sum();
            sumA += ta;
            sumB += tb;
            ratios[k] = (double) ta / tb;
            for (int d = 0; d < sets; d++) {
                perSet[d][k] = (double) cpuA[d] / cpuB[d];
                setTotal[0][d] += cpuA[d];
                setTotal[1][d] += cpuB[d];
            }
        }
        double lines = TemplateMinerBenchmark.MIX_LINES;
        System.out.printf(
                "mix-ab: %d pairs after %d warm-up pairs; B/A throughput ratio = A time / B time per pair%n",
                pairs, WARMUP_PAIRS);
        System.out.printf(
                "  A %s: %,.0f lines per CPU-second (all pairs), %,.0f B/line allocated%n",
                before, lines * pairs / (sumA / 1e9), alloc[0] / (lines * pairs));
        System.out.printf(
                "  B %s: %,.0f lines per CPU-second (all pairs), %,.0f B/line allocated%n",
                after == null ? "(classpath)" : after, lines * pairs / (sumB / 1e9), alloc[1] / (lines * pairs));
        System.out.println("  " + summary("mix", ratios));
        List<String> names = List.copyOf(LoghubBenchmark.DRAIN_GA.keySet());
        for (int d = 0; d < sets; d++) {
            System.out.printf(
                    "    %s  A %4.1f %% / B %4.1f %% of the time%n",
                    summary(names.get(d), perSet[d]), 100.0 * setTotal[0][d] / sumA, 100.0 * setTotal[1][d] / sumB);
        }
        if (checkA != checkB) {
            System.out.println("  note: template id checksums differ (A " + checkA + ", B " + checkB + ")");
        }
    }

    /** Median with quartiles and a distribution-free 95 % interval of the median (order statistics). */
    private static String summary(String name, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        int half = (int) Math.ceil(1.96 * Math.sqrt(n) / 2);
        int lo = Math.max(0, n / 2 - half);
        int hi = Math.min(n - 1, (n - 1) / 2 + half);
        return String.format(
                "%-10s ratio median %.3f  [95%% CI %.3f–%.3f]  quartiles %.3f–%.3f  min %.3f max %.3f",
                name, median(v), v[lo], v[hi], v[n / 4], v[(3 * n) / 4], v[0], v[n - 1]);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return (sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
    }

    /**
     * {@link MixPass} linked against the mining classes of {@code classes} (a folder or jar), or
     * against the classpath's own when null; each call gives a fresh, separate copy.
     */
    @SuppressWarnings("unchecked")
    private static ToLongFunction<List<String>> load(String classes) {
        ClassLoader app = MinerAb.class.getClassLoader();
        URL[] urls;
        try {
            if (classes == null) {
                urls = new URL[] {
                    io.marty.observability.loganalysis.mining.TemplateMiner.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                };
            } else {
                Path p = Path.of(classes);
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("mix-ab: no such class folder or jar: " + classes);
                }
                urls = new URL[] {p.toUri().toURL()};
            }
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("mix-ab: " + classes, e);
        }
        ClassLoader own = new Isolating(urls, app);
        try {
            return (ToLongFunction<List<String>>)
                    own.loadClass(MixPass.class.getName()).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("mix-ab: cannot load the miner from " + classes, e);
        }
    }

    /** Loads the mining classes (and {@link MixPass}) itself from its URLs; everything else from the parent. */
    private static final class Isolating extends URLClassLoader {
        Isolating(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean mining = name.startsWith(MINING);
            boolean pass = name.equals(MixPass.class.getName());
            if (!mining && !pass) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = pass ? definePass(name) : findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private Class<?> definePass(String name) {
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = getParent().getResourceAsStream(resource)) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
