package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.marty.observability.loganalysis.mining.internal.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Leave-one-dataset-out validation of the miner's configuration on the Loghub-2k datasets: for
 * each dataset, the configuration (rule set, similarity threshold, distinct-word threshold) is the
 * one with the best mean GA on the <em>other</em> datasets, and the figure kept for the dataset is
 * the one it gets under that configuration (ties go to a configuration fixed before any score was
 * seen, see {@link Config#isPrior()}). The shipped default must be the best configuration on all
 * datasets, and no rule may be there for one dataset alone: without its most helped dataset, a
 * rule must not lower the mean GA of the others. Skipped when the data is absent; prints the table
 * that {@code benchmarks/RESULTS.md} reports.
 */
class LeaveOneDatasetOutTest {

    /** Drain's published GA (original labels, per-dataset tuned), the bar for each held-out score. */
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

    record Config(Set<Rule> rules, double similarity, int minDistinctWords) {
        TemplateMiner miner() {
            return TemplateMiner.builder()
                    .rules(rules)
                    .similarityThreshold(similarity)
                    .minDistinctWords(minDistinctWords)
                    .build();
        }

        /** The shipped defaults of {@link TemplateMiner.Builder}: the best configuration on all datasets. */
        boolean isDefault() {
            return rules.equals(EnumSet.allOf(Rule.class)) && similarity == 0.7 && minDistinctWords == 5;
        }

        /**
         * The tie-break, fixed before any score was seen: every rule on (they are designed from
         * classes of input, not from the data) and the thresholds the miner had before this
         * validation. Breaking ties towards the shipped default instead would leak: the default
         * is chosen on all datasets, the held-out one included.
         */
        boolean isPrior() {
            return rules.equals(EnumSet.allOf(Rule.class)) && similarity == 0.7 && minDistinctWords == 4;
        }

        @Override
        public String toString() {
            Set<Rule> off = EnumSet.complementOf(EnumSet.copyOf(rules.isEmpty() ? EnumSet.noneOf(Rule.class) : rules));
            if (rules.isEmpty()) {
                off = EnumSet.allOf(Rule.class);
            }
            return "sim " + similarity + ", words " + minDistinctWords + (off.isEmpty() ? "" : ", without " + off);
        }
    }

    /** The grid: every rule on, or all but one; three similarity and three word thresholds. */
    static List<Config> grid() {
        List<Set<Rule>> ruleSets = new ArrayList<>();
        ruleSets.add(EnumSet.allOf(Rule.class));
        for (Rule r : Rule.values()) {
            Set<Rule> s = EnumSet.allOf(Rule.class);
            s.remove(r);
            ruleSets.add(s);
        }
        List<Config> out = new ArrayList<>();
        for (Set<Rule> rs : ruleSets) {
            for (double sim : new double[] {0.6, 0.7, 0.8}) {
                for (int words : new int[] {3, 4, 5}) {
                    out.add(new Config(rs, sim, words));
                }
            }
        }
        return out;
    }

    @Test
    void heldOutScoresMeetTheTargets() throws IOException {
        Path root = LoghubAccuracyTest.dataRoot();
        assumeTrue(root != null && Files.isDirectory(root.resolve("HDFS")), "Loghub-2k data not present");
        List<String> names = new ArrayList<>(DRAIN_GA.keySet());
        List<LoghubDataset> original = new ArrayList<>();
        List<LoghubDataset> corrected = new ArrayList<>();
        for (String ds : names) {
            original.add(LoghubDataset.load(root.resolve(ds).resolve(ds + "_2k.log_structured.csv")));
            corrected.add(LoghubDataset.load(root.resolve(ds).resolve(ds + "_2k.log_structured_corrected.csv")));
        }
        List<Config> grid = grid();
        double[][] ga = new double[grid.size()][names.size()];
        for (int c = 0; c < grid.size(); c++) {
            for (int d = 0; d < names.size(); d++) {
                ga[c][d] = original.get(d).evaluate(grid.get(c).miner()).ga();
            }
        }
        int all = choose(grid, ga, -1);

        StringBuilder table = new StringBuilder();
        table.append(
                "| Dataset | Drain GA | all-in GA | held-out GA | held-out GA* | FGA* | PA* | FTA* | configuration chosen without it |\n");
        table.append("|---|---|---|---|---|---|---|---|---|\n");
        double sumHeld = 0;
        double sumAll = 0;
        List<String> belowDrain = new ArrayList<>();
        for (int d = 0; d < names.size(); d++) {
            int c = choose(grid, ga, d);
            ParsingAccuracy star = corrected.get(d).evaluate(grid.get(c).miner());
            double held = ga[c][d];
            sumHeld += held;
            sumAll += ga[all][d];
            if (held < DRAIN_GA.get(names.get(d))) {
                belowDrain.add(names.get(d));
            }
            table.append(String.format(
                    "| %s | %.3f | %.3f | **%.3f** | %.3f | %.3f | %.3f | %.3f | %s |%n",
                    names.get(d),
                    DRAIN_GA.get(names.get(d)),
                    ga[all][d],
                    held,
                    star.ga(),
                    star.fga(),
                    star.pa(),
                    star.fta(),
                    grid.get(c).isDefault()
                            ? "default"
                            : grid.get(c).isPrior() ? "prior (" + grid.get(c) + ")" : grid.get(c)));
        }
        double meanHeld = sumHeld / names.size();
        table.append(
                String.format("| **Mean** | 0.873 | %.3f | **%.3f** | | | | | |%n", sumAll / names.size(), meanHeld));
        List<String> oneDatasetRules = new ArrayList<>();
        table.append(ruleEvidence(grid, ga, names, oneDatasetRules));
        System.out.println(table);

        assertThat(grid.get(all).isDefault())
                .as("the shipped default is the best configuration on all datasets (%s)", grid.get(all))
                .isTrue();
        assertThat(meanHeld).as("leave-one-dataset-out mean GA").isGreaterThanOrEqualTo(0.93);
        assertThat(belowDrain).as("held-out GA below Drain's published GA").isEmpty();
        assertThat(oneDatasetRules)
                .as("rules that help one dataset and cost the others")
                .isEmpty();
    }

    /**
     * Index of the configuration with the best mean GA over all datasets but {@code heldOut} (-1:
     * none held out); ties go to the prior configuration, then to grid order.
     */
    static int choose(List<Config> grid, double[][] ga, int heldOut) {
        int best = -1;
        double bestMean = -1;
        for (int c = 0; c < grid.size(); c++) {
            double sum = 0;
            for (int d = 0; d < ga[c].length; d++) {
                if (d != heldOut) {
                    sum += ga[c][d];
                }
            }
            double mean = sum / (ga[c].length - (heldOut >= 0 ? 1 : 0));
            boolean tie = Math.abs(mean - bestMean) < 1e-9;
            if ((!tie && mean > bestMean) || (tie && grid.get(c).isPrior())) {
                best = c;
                bestMean = mean;
            }
        }
        return best;
    }

    /** Per rule: the datasets whose GA drops when the rule is switched off from the default. */
    private static String ruleEvidence(
            List<Config> grid, double[][] ga, List<String> names, List<String> oneDatasetRules) {
        int def = -1;
        for (int c = 0; c < grid.size(); c++) {
            if (grid.get(c).isDefault()) {
                def = c;
            }
        }
        StringBuilder sb = new StringBuilder("\nRule evidence (GA with the rule, without it; datasets that change):\n");
        for (Rule r : Rule.values()) {
            Set<Rule> without = EnumSet.allOf(Rule.class);
            without.remove(r);
            int c = grid.indexOf(new Config(without, 0.7, 5));
            List<String> helped = new ArrayList<>();
            List<String> hurt = new ArrayList<>();
            double sum = 0;
            double most = 0;
            for (int d = 0; d < names.size(); d++) {
                double delta = ga[def][d] - ga[c][d];
                sum += delta;
                most = Math.max(most, delta);
                if (delta > 1e-9) {
                    helped.add(String.format("%s +%.4f", names.get(d), delta));
                } else if (delta < -1e-9) {
                    hurt.add(String.format("%s %.4f", names.get(d), delta));
                }
            }
            if (most > 1e-9 && sum - most < -1e-9) {
                oneDatasetRules.add(r.toString());
            }
            sb.append(String.format("- %s: helps %s; hurts %s%n", r, helped, hurt));
        }
        return sb.toString();
    }
}
