package io.marty.observability.cli.archfixture;

import io.marty.observability.core.internal.MdcContextStorage;

/** Deliberate violation used by ArchitectureTest to prove the rule detects one. Never used. */
final class ReachesIntoCoreInternal {
    private ReachesIntoCoreInternal() {}

    static boolean probe() {
        return MdcContextStorage.isActive();
    }
}
