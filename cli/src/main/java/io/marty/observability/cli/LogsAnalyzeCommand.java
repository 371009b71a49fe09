package io.marty.observability.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code marty logs/analyze}: placeholder, replaced when its module lands. */
@Command(name = "analyze", description = "Analyze a log file or stdin: templates, anomalies, alerts.")
final class LogsAnalyzeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("marty logs/analyze: not available yet");
        return 1;
    }
}
