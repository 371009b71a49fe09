package io.marty.observability.loganalysis.mining;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Log-parsing accuracy as the Loghub benchmarks define it (same definitions as {@code
 * eval_grouping.py}): ground-truth groups are the lines sharing a ground-truth template.
 *
 * @param ga grouping accuracy: share of lines whose predicted group equals their true group
 * @param fga F1 over groups that are predicted exactly
 * @param pa parsing accuracy: share of lines whose predicted template string equals the truth
 * @param fta F1 over predicted templates all of whose lines have exactly that true template
 * @param predictedGroups number of predicted groups
 * @param trueGroups number of ground-truth groups
 */
public record ParsingAccuracy(double ga, double fga, double pa, double fta, int predictedGroups, int trueGroups) {

    /**
     * Scores predictions against the truth; the three lists are aligned by line.
     *
     * @throws IllegalArgumentException when the lists differ in length or are empty
     */
    public static ParsingAccuracy score(List<String> truth, List<?> predictedGroups, List<String> predictedTemplates) {
        int n = truth.size();
        if (n == 0 || predictedGroups.size() != n || predictedTemplates.size() != n) {
            throw new IllegalArgumentException("need equally long non-empty lists: truth " + n + ", groups "
                    + predictedGroups.size() + ", templates " + predictedTemplates.size());
        }
        Map<String, Integer> trueSize = new HashMap<>();
        for (String t : truth) {
            trueSize.merge(t, 1, Integer::sum);
        }
        Map<Object, Map<String, Integer>> members = new HashMap<>();
        for (int i = 0; i < n; i++) {
            members.computeIfAbsent(predictedGroups.get(i), k -> new HashMap<>())
                    .merge(truth.get(i), 1, Integer::sum);
        }
        int correctGroups = 0;
        int correctLines = 0;
        for (Map<String, Integer> m : members.values()) {
            if (m.size() == 1) {
                Map.Entry<String, Integer> e = m.entrySet().iterator().next();
                if (e.getValue().equals(trueSize.get(e.getKey()))) {
                    correctGroups++;
                    correctLines += e.getValue();
                }
            }
        }
        double pga = (double) correctGroups / members.size();
        double rga = (double) correctGroups / trueSize.size();

        int exact = 0;
        Map<String, Set<String>> byTemplate = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (truth.get(i).equals(predictedTemplates.get(i))) {
                exact++;
            }
            byTemplate
                    .computeIfAbsent(predictedTemplates.get(i), k -> new HashSet<>())
                    .add(truth.get(i));
        }
        int correctTemplates = 0;
        for (Map.Entry<String, Set<String>> e : byTemplate.entrySet()) {
            if (e.getValue().size() == 1 && e.getValue().contains(e.getKey())) {
                correctTemplates++;
            }
        }
        double pta = (double) correctTemplates / byTemplate.size();
        double rta = (double) correctTemplates / trueSize.size();
        return new ParsingAccuracy(
                (double) correctLines / n,
                f1(pga, rga),
                (double) exact / n,
                f1(pta, rta),
                members.size(),
                trueSize.size());
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
