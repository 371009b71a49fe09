package io.marty.observability.cli.archfixture;

import io.marty.observability.testing.ManualClock;
import java.time.Instant;

/** Deliberate violation used by ArchitectureTest: production code must not need the testing artifact. */
final class UsesTheTestingArtifact {
    private UsesTheTestingArtifact() {}

    static long probe() {
        return new ManualClock(Instant.EPOCH).millis();
    }
}
