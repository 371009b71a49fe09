package io.marty.observability.benchmarks.hotpath;

import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * Thread CPU time and allocated bytes per request of the whole server instrumentation ({@link JdkFilterBenchmark},
 * {@link GrpcInterceptorBenchmark}), for a machine shared with other work, where JMH's wall-clock figures move with
 * the load. Every case runs in a class loader and on a thread of its own (the framework is one instance per JVM), cases alternate
 * round by round and the median round is printed. With {@code --baseline JAR} (a {@code benchmarks.jar} built from
 * an earlier commit that contains this class) every case also runs from that jar in the same JVM and the same
 * rounds, so before and after see the same load, and the table gives after / before.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.marty.observability.benchmarks.hotpath.HotPathCpuTime \
 *     [--baseline /tmp/before/benchmarks.jar] [--rounds 15] [--ops 50000] [--rates 1.0,0.05] [--kinds jdk,grpc,scope]
 * </pre>
 */
public final class HotPathCpuTime {

    private HotPathCpuTime() {}

    /**
     * Called inside a case's class loader: prepares one benchmark and returns a function that runs it {@code ops}
     * times and answers {thread CPU ns, allocated bytes}. Kinds: {@code jdk-bare}, {@code jdk}, {@code grpc-bare},
     * {@code grpc}, {@code scope-bare}, {@code scope}.
     */
    public static IntFunction<long[]> open(String kind, double sampleRate) throws Exception {
        Op op;
        switch (kind) {
            case "jdk-bare", "jdk" -> {
                JdkFilterBenchmark b = new JdkFilterBenchmark();
                b.sampleRate = sampleRate;
                b.setUp();
                op = kind.equals("jdk") ? b::instrumented : b::bare;
            }
            case "grpc-bare", "grpc" -> {
                GrpcInterceptorBenchmark b = new GrpcInterceptorBenchmark();
                b.sampleRate = sampleRate;
                b.variant = kind.equals("grpc") ? "instrumented" : "bare";
                b.setUp();
                op = b::unary;
            }
            case "scope-bare", "scope" -> {
                // one attach/detach of a request's context, as around each gRPC listener callback:
                // 'scope' carries correlation and request ids and an unsampled span (four MDC keys
                // written and removed), 'scope-bare' only an unrelated key (no MDC work)
                HotPathState.start(sampleRate);
                Context request = kind.equals("scope")
                        ? Context.root()
                                .with(CorrelationContext.newRoot())
                                .with(Span.wrap(SpanContext.create(
                                        "0af7651916cd43dd8448eb211c80319c",
                                        "b7ad6b7169203331",
                                        TraceFlags.getDefault(),
                                        TraceState.getDefault())))
                        : Context.root().with(ContextKey.named("bench"), "value");
                op = () -> {
                    try (Scope scope = request.makeCurrent()) {
                        return scope;
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        return ops -> {
            long tid = Thread.currentThread().getId();
            long a0 = alloc.getThreadAllocatedBytes(tid);
            long t0 = mx.getCurrentThreadCpuTime();
            Object last = null;
            try {
                for (int i = 0; i < ops; i++) {
                    last = op.run();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            long t1 = mx.getCurrentThreadCpuTime();
            long a1 = alloc.getThreadAllocatedBytes(tid);
            sink = last;
            return new long[] {t1 - t0, a1 - a0};
        };
    }

    @FunctionalInterface
    private interface Op {
        Object run() throws Exception;
    }

    private static volatile Object sink;

    public static void main(String[] argv) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got '" + argv[i] + "'");
            }
            opts.put(argv[i].substring(2), argv[i + 1]);
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "15"));
        int ops = Integer.parseInt(opts.getOrDefault("ops", "50000"));
        List<String> rates = List.of(opts.getOrDefault("rates", "1.0,0.05").split(","));
        List<String> kinds = List.of(opts.getOrDefault("kinds", "jdk,grpc").split(","));
        Map<String, URL> jars = new LinkedHashMap<>();
        if (opts.containsKey("baseline")) {
            jars.put("before", new File(opts.get("baseline")).toURI().toURL());
        }
        jars.put(
                "after",
                HotPathCpuTime.class.getProtectionDomain().getCodeSource().getLocation());

        List<Case> cases = new ArrayList<>();
        for (String kind : kinds) {
            for (Map.Entry<String, URL> jar : jars.entrySet()) {
                cases.add(new Case(kind + "-bare", "-", jar.getKey(), jar.getValue(), 1.0));
                for (String rate : rates) {
                    cases.add(new Case(kind, rate, jar.getKey(), jar.getValue(), Double.parseDouble(rate)));
                }
            }
        }
        for (Case c : cases) {
            c.open();
            c.cpu = new double[rounds];
            c.bytes = new double[rounds];
        }
        for (int w = 0; w < 5; w++) { // let the JIT compile every copy
            for (Case c : cases) {
                c.run(ops);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Case c : cases) {
                long[] m = c.run(ops);
                c.cpu[r] = m[0] / (double) ops;
                c.bytes[r] = m[1] / (double) ops;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%-10s %-6s %-7s %14s %10s %10s %12s%n",
                "case",
                "rate",
                "jar",
                "cpu ns/op med",
                "min",
                "B/op med",
                "after/before");
        for (Case c : cases) {
            Case before = null;
            for (Case o : cases) {
                if (o.jar.equals("before") && o.kind.equals(c.kind) && o.rate.equals(c.rate)) {
                    before = o;
                }
            }
            String ratio = c.jar.equals("after") && before != null
                    ? String.format(Locale.ROOT, "%.2f", median(c.cpu) / median(before.cpu))
                    : "";
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %-6s %-7s %14.0f %10.0f %10.0f %12s%n",
                    c.kind,
                    c.rate,
                    c.jar,
                    median(c.cpu),
                    Arrays.stream(c.cpu).min().orElse(0),
                    median(c.bytes),
                    ratio);
        }
        System.exit(0); // the gRPC and SDK threads of every loader are not worth closing one by one
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static final class Case {
        final String kind;
        final String rate;
        final String jar;
        final URL url;
        final double sampleRate;
        IntFunction<long[]> fn;
        double[] cpu;
        double[] bytes;

        Case(String kind, String rate, String jar, URL url, double sampleRate) {
            this.kind = kind;
            this.rate = rate;
            this.jar = jar;
            this.url = url;
            this.sampleRate = sampleRate;
        }

        // each case runs on a thread of its own, so that its thread-locals (context storage, MDC,
        // exemplar slot) do not share one thread's table with those of every other case's loader
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "case");
            t.setDaemon(true);
            return t;
        });

        void open() throws Exception {
            thread.submit(this::openHere).get();
        }

        long[] run(int ops) throws Exception {
            return thread.submit(() -> fn.apply(ops)).get();
        }

        @SuppressWarnings("unchecked")
        private Void openHere() throws Exception {
            // parent = platform loader: nothing of the framework is shared between cases
            URLClassLoader loader = new URLClassLoader(new URL[] {url}, ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> c = loader.loadClass(HotPathCpuTime.class.getName());
            fn = (IntFunction<long[]>)
                    c.getMethod("open", String.class, double.class).invoke(null, kind, sampleRate);
            return null;
        }
    }
}
