package io.marty.observability.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code marty} command line. Each subcommand lives in its own class. */
@Command(
        name = "marty",
        mixinStandardHelpOptions = true,
        version = "marty 0.1.0-SNAPSHOT",
        description = "Marty Observability for Java: demo, console, SLO and log tools.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            ConsoleCommand.class,
            SloCommand.class,
            DashboardsCommand.class,
            LogsCommand.class
        })
public final class MartyCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new MartyCli()).execute(args));
    }
}
