package io.marty.observability.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code marty logs/templates}: placeholder, replaced when its module lands. */
@Command(name = "templates", description = "Mine log templates: one CSV row per input line.")
final class LogsTemplatesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("marty logs/templates: not available yet");
        return 1;
    }
}
