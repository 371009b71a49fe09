package io.marty.observability.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code marty} command line. Each subcommand lives in its own class. */
@Command(
        name = "marty",
        mixinStandardHelpOptions = true,
        version = "marty 0.1.0-SNAPSHOT",
        description = "Marty Observability for Java: demo, console, SLO and log tools, service generator.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            ConsoleCommand.class,
            SloCommand.class,
            DashboardsCommand.class,
            LogsCommand.class,
            GenerateCommand.class
        })
public final class MartyCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with the shared error handling: an exception escaping any command is one line
     * on stderr naming the command and the input ({@link CliInput#message}), exit code 2 for bad input
     * and 1 otherwise.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new MartyCli());
        // set on the root after the annotated subcommands exist: picocli applies it to all of them
        commandLine.setExecutionExceptionHandler(CliInput::handle);
        return commandLine;
    }
}
