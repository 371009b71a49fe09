package io.marty.observability.benchmarks.mining;

import io.marty.observability.loganalysis.mining.TemplateMiner;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One pass of {@link MinerAb}: each dataset into a fresh miner, as {@code
 * TemplateMinerBenchmark.loghubMix}. {@link MinerAb} loads this class once per miner build, so
 * it links against that build's {@link TemplateMiner} and is compiled for it alone.
 */
public final class MixPass implements ToLongFunction<List<String>> {
    /** Mines one dataset into a fresh miner; returns a checksum of the template ids. */
    @Override
    public long applyAsLong(List<String> dataset) {
        TemplateMiner m = TemplateMiner.builder().build();
        long sink = 0;
        for (String line : dataset) {
            sink += m.add(line).templateId();
        }
        return sink;
    }
}
