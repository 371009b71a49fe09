package io.marty.observability.benchmarks.mining;

import io.marty.observability.loganalysis.mining.LineTemplates;
import io.marty.observability.loganalysis.mining.LoghubDataset;
import io.marty.observability.loganalysis.mining.ParsingAccuracy;
import io.marty.observability.loganalysis.mining.TemplateMiner;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the template miner, with its one default configuration, over the 12 Loghub-2k datasets and
 * prints GA, FGA, PA and FTA per dataset on the original and the corrected labels, next to Drain's
 * published GA (He et al. ICWS 2017, as reported by Zhu et al. ICSE-SEIP 2019, per-dataset tuned).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * io.marty.observability.benchmarks.mining.LoghubBenchmark [data-root] [--csv-dir DIR]} (default
 * {@code ../shared/benchdata/loghub2k}); {@code --csv-dir} also writes each dataset's {@code
 * LineId,EventId,EventTemplate} CSV for cross-checking with {@code eval_grouping.py}. Wrapped by
 * {@code benchmarks/scripts/loghub.sh}.
 */
public final class LoghubBenchmark {
    /** Published Drain GA on the original Loghub-2k labels. */
    static final Map<String, Double> DRAIN_GA = new LinkedHashMap<>();

    static {
        DRAIN_GA.put("Android", 0.911);
        DRAIN_GA.put("Apache", 1.0);
        DRAIN_GA.put("BGL", 0.963);
        DRAIN_GA.put("HDFS", 0.998);
        DRAIN_GA.put("HPC", 0.887);
        DRAIN_GA.put("Mac", 0.787);
        DRAIN_GA.put("OpenSSH", 0.788);
        DRAIN_GA.put("OpenStack", 0.733);
        DRAIN_GA.put("Proxifier", 0.527);
        DRAIN_GA.put("Spark", 0.920);
        DRAIN_GA.put("Windows", 0.997);
        DRAIN_GA.put("Zookeeper", 0.967);
    }

    private LoghubBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path root = LoghubDataset.locate().orElse(Path.of("../shared/benchdata/loghub2k"));
        Path csvDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--csv-dir") && i + 1 < args.length) {
                csvDir = Path.of(args[++i]);
            } else {
                root = Path.of(args[i]);
            }
        }
        if (csvDir != null) {
            Files.createDirectories(csvDir);
        }
        if (!Files.isDirectory(root)) {
            System.err.println("no Loghub-2k data at " + root.toAbsolutePath() + " (pass the folder as argument)");
            System.exit(2);
        }
        System.out.printf(
                "%-10s | %6s %6s | %6s %6s %6s %6s | %6s %6s %6s %6s |%n",
                "Dataset", "Drain", "GA", "FGA", "PA", "FTA", "tmpl", "GA*", "FGA*", "PA*", "FTA*");
        double[] sum = new double[9];
        int n = 0;
        int beaten = 0;
        for (Map.Entry<String, Double> e : DRAIN_GA.entrySet()) {
            String ds = e.getKey();
            Path dir = root.resolve(ds);
            LoghubDataset orig = LoghubDataset.load(dir.resolve(ds + "_2k.log_structured.csv"));
            LoghubDataset corr = LoghubDataset.load(dir.resolve(ds + "_2k.log_structured_corrected.csv"));
            ParsingAccuracy o = orig.evaluate(TemplateMiner.builder().build());
            ParsingAccuracy c = corr.evaluate(TemplateMiner.builder().build());
            if (csvDir != null) {
                // the same mining, written as marty logs templates would, for eval_grouping.py
                LineTemplates lt = new LineTemplates(TemplateMiner.builder().build());
                orig.contents().forEach(lt::add);
                try (Writer w = Files.newBufferedWriter(csvDir.resolve(ds + ".csv"), StandardCharsets.UTF_8)) {
                    lt.writeCsv(w);
                }
            }
            System.out.printf(
                    "%-10s | %6.3f %6.3f | %6.3f %6.3f %6.3f %6d | %6.3f %6.3f %6.3f %6.3f |%n",
                    ds,
                    e.getValue(),
                    o.ga(),
                    o.fga(),
                    o.pa(),
                    o.fta(),
                    o.predictedGroups(),
                    c.ga(),
                    c.fga(),
                    c.pa(),
                    c.fta());
            double[] v = {e.getValue(), o.ga(), o.fga(), o.pa(), o.fta(), c.ga(), c.fga(), c.pa(), c.fta()};
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
            if (o.ga() >= e.getValue()) {
                beaten++;
            }
            n++;
        }
        System.out.printf(
                "%-10s | %6.3f %6.3f | %6.3f %6.3f %6.3f %6s | %6.3f %6.3f %6.3f %6.3f |%n",
                "Mean",
                sum[0] / n,
                sum[1] / n,
                sum[2] / n,
                sum[3] / n,
                sum[4] / n,
                "",
                sum[5] / n,
                sum[6] / n,
                sum[7] / n,
                sum[8] / n);
        System.out.printf("GA (original labels) >= Drain on %d of %d datasets; * = corrected labels%n", beaten, n);
    }
}
