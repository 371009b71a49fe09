package io.marty.observability.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code marty demo}: placeholder until the examples land. */
@Command(name = "demo", description = "Run the demo services and print where to look.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("marty demo: the example services are not built yet");
        return 1;
    }
}
