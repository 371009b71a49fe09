package io.marty.observability.benchmarks.mining;

import io.marty.observability.loganalysis.mining.LoghubDataset;
import io.marty.observability.loganalysis.mining.TemplateMiner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread throughput of {@link TemplateMiner#add}, in lines per second:
 *
 * <ul>
 *   <li>{@code add}: HDFS-like lines into one long-lived miner (every line distinct as text, ~10
 *       templates: the steady state of one service's log);
 *   <li>{@code loghubMix}: the 12 Loghub-2k datasets' {@code Content} lines (24,000), each dataset
 *       into a fresh miner, so template creation, generalisation and merging are all measured. The
 *       data is found by {@link LoghubDataset#locate()}; the benchmark fails without it.
 * </ul>
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar TemplateMinerBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class TemplateMinerBenchmark {
    /** The 12 datasets of 2,000 lines each. */
    static final int MIX_LINES = 24_000;

    private String[] lines;
    private TemplateMiner miner;
    private int next;
    private List<List<String>> mix;

    @Setup
    public void setUp() {
        lines = HdfsLikeLines.generate(1 << 16, 42);
        miner = TemplateMiner.builder().build();
    }

    @Benchmark
    public long add() {
        String line = lines[next];
        next = (next + 1) & (lines.length - 1);
        return miner.add(line).templateId();
    }

    @Benchmark
    @OperationsPerInvocation(MIX_LINES)
    public long loghubMix() {
        if (mix == null) {
            mix = loadMix();
        }
        long sink = 0;
        for (List<String> dataset : mix) {
            TemplateMiner m = TemplateMiner.builder().build();
            for (String line : dataset) {
                sink += m.add(line).templateId();
            }
        }
        return sink;
    }

    static List<List<String>> loadMix() {
        Path root = dataRoot();
        List<List<String>> out = new ArrayList<>();
        int total = 0;
        for (String ds : LoghubBenchmark.DRAIN_GA.keySet()) {
            try {
                List<String> contents = LoghubDataset.load(root.resolve(ds).resolve(ds + "_2k.log_structured.csv"))
                        .contents();
                out.add(contents);
                total += contents.size();
            } catch (IOException e) {
                throw new UncheckedIOException("Loghub-2k data needed for loghubMix: " + root, e);
            }
        }
        if (total != MIX_LINES) {
            throw new IllegalStateException("expected " + MIX_LINES + " lines, read " + total + " from " + root);
        }
        return out;
    }

    static Path dataRoot() {
        return LoghubDataset.locate().orElse(Path.of("../shared/benchdata/loghub2k"));
    }
}
