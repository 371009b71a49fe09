package io.marty.observability.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code marty console}: placeholder, replaced when its module lands. */
@Command(name = "console", description = "Run the local console alone as an OTLP sink with a web UI.")
final class ConsoleCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("marty console: not available yet");
        return 1;
    }
}
