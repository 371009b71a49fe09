package io.marty.observability.benchmarks.mining;

import io.marty.observability.loganalysis.mining.TemplateMiner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Harness for the miner's throughput and memory on one thread: mines HDFS-like lines for a fixed
 * number of lines per round, prints lines/s per round (wall clock and per CPU-second of the thread) and the retained heap after 1M and 10M lines
 * (memory must follow the number of templates, not of lines).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar
 * io.marty.observability.benchmarks.mining.MinerThroughput [rounds]}
 *
 * <p>{@code ... MinerThroughput mix [rounds]}: the 12 Loghub-2k datasets' lines instead (each
 * dataset into a fresh miner, as {@code TemplateMinerBenchmark.loghubMix}), lines per CPU-second
 * of the mining thread per round: comparable between builds on a loaded machine.
 *
 * <p>{@code ... MinerThroughput mix-ab BEFORE [pairs] [AFTER]}: two builds of the miner compared in
 * one JVM on the mix, passes alternated (see {@link MinerAb}); the figure to use on a shared machine.
 */
public final class MinerThroughput {
    private MinerThroughput() {}

    public static void main(String[] args) {
        if (args.length > 1 && args[0].equals("mix-ab")) {
            MinerAb.run(args[1], args.length > 2 ? Integer.parseInt(args[2]) : 200, args.length > 3 ? args[3] : null);
            return;
        }
        if (args.length > 0 && args[0].equals("mix")) {
            mix(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String[] lines = HdfsLikeLines.generate(1 << 16, 7);
        int mask = lines.length - 1;
        TemplateMiner miner = TemplateMiner.builder().build();
        long before = retainedHeap();
        long sink = 0;
        long total = 0;
        int perRound = 1_000_000;
        double best = 0;
        double bestCpu = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                sink += miner.add(lines[(int) (total++ & mask)]).templateId();
            }
            double rate = perRound / ((System.nanoTime() - t0) / 1e9);
            // per CPU-second of this thread: the single-core figure even when other processes share the cores
            double cpuRate = perRound / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
            best = Math.max(best, rate);
            bestCpu = Math.max(bestCpu, cpuRate);
            System.out.printf("round %2d: %,.0f lines/s wall, %,.0f lines per CPU-second%n", round, rate, cpuRate);
            if (round == 1 || round == 10) {
                System.out.printf(
                        "  after %,d lines: %d templates, retained heap %+,d KiB%n",
                        total, miner.templateCount(), (retainedHeap() - before) / 1024);
            }
        }
        templateSweep();
        System.out.printf(
                "best round %,.0f lines/s wall, %,.0f lines per CPU-second; %d templates (%d)%n",
                best, bestCpu, miner.templateCount(), sink % 7);
    }

    private static void mix(int rounds) {
        java.util.List<java.util.List<String>> mix = TemplateMinerBenchmark.loadMix();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        double best = 0;
        for (int round = 1; round <= rounds; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            for (java.util.List<String> dataset : mix) {
                TemplateMiner m = TemplateMiner.builder().build();
                for (String line : dataset) {
                    sink += m.add(line).templateId();
                }
            }
            double cpuRate = TemplateMinerBenchmark.MIX_LINES / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
            best = Math.max(best, cpuRate);
            System.out.printf("mix round %2d: %,.0f lines per CPU-second%n", round, cpuRate);
        }
        System.out.printf("mix best round %,.0f lines per CPU-second (%d)%n", best, sink % 7);
    }

    /**
     * Memory against the number of templates: lines made of random words (each its own template)
     * until the default cap of 10,000 live templates, then twice as many to show the cap holding.
     */
    private static void templateSweep() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        TemplateMiner miner = TemplateMiner.builder().build();
        long before = retainedHeap();
        int fed = 0;
        for (int target : new int[] {1_000, 5_000, 10_000, 20_000}) {
            while (fed < target) {
                StringBuilder sb = new StringBuilder();
                for (int w = 0; w < 5; w++) {
                    for (int c = 0; c < 7; c++) {
                        sb.append((char) ('a' + r.nextInt(26)));
                    }
                    sb.append(' ');
                }
                miner.add(sb.append("done in ")
                        .append(r.nextInt(1000))
                        .append(" ms")
                        .toString());
                fed++;
            }
            long heap = retainedHeap() - before;
            System.out.printf(
                    "  %,d distinct messages: %,d live templates, %,d evicted, retained heap %+,d KiB (%,d B/template)%n",
                    fed,
                    miner.templateCount(),
                    miner.evictedTemplates(),
                    heap / 1024,
                    heap / Math.max(1, miner.templateCount()));
        }
    }

    private static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
