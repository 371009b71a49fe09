package io.marty.observability.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code marty slo}: placeholder, replaced when its module lands. */
@Command(name = "slo", description = "Generate, check and report SLOs.")
final class SloCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("marty slo: not available yet");
        return 1;
    }
}
