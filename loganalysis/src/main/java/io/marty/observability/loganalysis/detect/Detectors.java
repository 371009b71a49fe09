package io.marty.observability.loganalysis.detect;

import io.marty.observability.loganalysis.RuleSpec;
import java.util.Set;

/** Creates the built-in detector for a {@link RuleSpec}. */
public final class Detectors {
    /** Rule types understood by {@link #create(RuleSpec)}. */
    public static final Set<String> TYPES =
            Set.of("threshold", "error_spike", "new_template", "brute_force", "slow_requests", "business_drop");

    private Detectors() {}

    /** Builds the detector; fails with a message naming the rule and key on bad or unknown settings. */
    public static Detector create(RuleSpec rule) {
        Detector d;
        switch (rule.type()) {
            case "threshold":
                d = new ThresholdDetector(rule);
                break;
            case "error_spike":
                d = new ErrorSpikeDetector(rule);
                break;
            case "new_template":
                d = new NewTemplateDetector(rule);
                break;
            case "brute_force":
                d = new BruteForceDetector(rule);
                break;
            case "slow_requests":
                d = new SlowRequestDetector(rule);
                break;
            case "business_drop":
                d = new BusinessDropDetector(rule);
                break;
            default:
                throw new IllegalArgumentException(
                        "rule '" + rule.name() + "': unknown type '" + rule.type() + "' (one of " + TYPES + ")");
        }
        rule.checkNoUnknownKeys();
        return d;
    }
}
