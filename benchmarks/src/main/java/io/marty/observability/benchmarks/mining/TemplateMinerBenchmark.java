package io.marty.observability.benchmarks.mining;

import io.marty.observability.loganalysis.mining.TemplateMiner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread throughput of {@link TemplateMiner#add} on HDFS-like lines (every line distinct as
 * text; ~10 templates). Score is operations (= lines) per second.
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
    private String[] lines;
    private TemplateMiner miner;
    private int next;

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
}
