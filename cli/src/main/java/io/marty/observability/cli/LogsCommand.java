package io.marty.observability.cli;

import picocli.CommandLine.Command;

/** {@code marty logs}: groups the log tools. */
@Command(
        name = "logs",
        description = "Log tools: template mining and analysis.",
        mixinStandardHelpOptions = true,
        subcommands = {LogsTemplatesCommand.class, LogsAnalyzeCommand.class})
final class LogsCommand {}
