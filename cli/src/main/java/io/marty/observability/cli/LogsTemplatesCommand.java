package io.marty.observability.cli;

import io.marty.observability.loganalysis.LogLineParser;
import io.marty.observability.loganalysis.mining.LineTemplates;
import io.marty.observability.loganalysis.mining.LogFormat;
import io.marty.observability.loganalysis.mining.TemplateMiner;
import io.marty.observability.loganalysis.source.LineSources;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code marty logs templates <file|-> [--output F] [--log-format FMT]}: mines templates and writes
 * CSV {@code LineId,EventId,EventTemplate}, one row per input line in input order, each with the
 * line's final template, so that any Loghub-style file can be scored with {@code eval_grouping.py}.
 */
@Command(
        name = "templates",
        mixinStandardHelpOptions = true,
        description = {
            "Mine log templates: one CSV row (LineId,EventId,EventTemplate) per input line. Invalid UTF-8 is"
                    + " replaced; lines longer than 64 KiB are skipped and counted; binary input (NUL bytes or"
                    + " mostly not UTF-8 in the first 8 KiB) is refused unless --force.",
            "Example: marty logs templates HDFS_2k.log --log-format"
                    + " '<Date> <Time> <Pid> <Level> <Component>: <Content>' --output hdfs.csv"
        })
final class LogsTemplatesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file|->", description = "Log file, one message per line; - for stdin.")
    String input;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "F",
            description = "Write the CSV to F instead of stdout.")
    @Nullable
    Path output;

    @Option(
            names = "--log-format",
            paramLabel = "FMT",
            description =
                    "Drain-style header format, e.g. '<Date> <Time> <Level>: <Content>' (\\[ for a literal [); only"
                            + " <Content> is mined. Lines that do not fit are mined whole and counted.")
    @Nullable
    String logFormat;

    @Option(
            names = "--max-templates",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Cap on live templates (least recently used evicted). Default: ${DEFAULT-VALUE}.")
    int maxTemplates;

    @Option(names = "--force", description = "Mine the input even when it looks like a binary file.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LogFormat format;
        TemplateMiner miner;
        try {
            format = logFormat == null ? null : LogFormat.parse(logFormat);
            miner = TemplateMiner.builder().maxTemplates(maxTemplates).build();
        } catch (IllegalArgumentException e) {
            err.println("marty logs templates: " + e.getMessage());
            return 2;
        }
        LineTemplates lines = new LineTemplates(miner);
        long[] unmatched = {0};
        long tooLong;
        long t0 = System.nanoTime();
        try (InputStream in = CliInput.openLog(input, force)) {
            tooLong = LineSources.read(
                    in,
                    line -> {
                        String content = line;
                        if (format != null) {
                            var c = format.content(line);
                            if (c.isPresent()) {
                                content = c.get();
                            } else {
                                unmatched[0]++;
                            }
                        }
                        lines.add(content);
                    },
                    LogLineParser.DEFAULT_MAX_LINE_LENGTH,
                    bytes -> {});
        } catch (CliInput.InputException e) {
            err.println("marty logs templates: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("marty logs templates: " + CliInput.describe(input, e));
            return 2;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try {
            if (output == null) {
                // stdout is flushed, never closed: the JVM owns it
                Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                lines.writeCsv(out);
                out.flush();
            } else {
                try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    lines.writeCsv(out);
                }
            }
        } catch (IOException e) {
            String target = output == null ? "stdout" : output.toString();
            err.println("marty logs templates: cannot write " + target + ": " + CliInput.reason(target, e));
            return 2;
        }
        err.printf(
                "marty logs templates: %d lines, %d templates (%d merged, %d evicted) in %.2f s%s%s%n",
                lines.size(),
                miner.templateCount(),
                miner.mergedTemplates(),
                miner.evictedTemplates(),
                seconds,
                unmatched[0] > 0 ? "; " + unmatched[0] + " lines did not fit --log-format and were mined whole" : "",
                tooLong > 0
                        ? "; " + tooLong + " lines longer than " + LogLineParser.DEFAULT_MAX_LINE_LENGTH
                                + " bytes skipped (no CSV row)"
                        : "");
        err.flush();
        return 0;
    }
}
