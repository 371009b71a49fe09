package io.marty.observability.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.AlertmanagerAlertSink;
import io.marty.observability.core.alert.JsonLinesAlertSink;
import io.marty.observability.core.alert.WebhookAlertSink;
import io.marty.observability.loganalysis.AnalysisSummary;
import io.marty.observability.loganalysis.LogAnalyzer;
import io.marty.observability.loganalysis.LogEvent;
import io.marty.observability.loganalysis.LogLevel;
import io.marty.observability.loganalysis.LogLineParser;
import io.marty.observability.loganalysis.RuleSet;
import io.marty.observability.loganalysis.mining.LogFormat;
import io.marty.observability.loganalysis.source.FileTailer;
import io.marty.observability.loganalysis.source.LineSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code marty logs analyze <file|-> [--json] [--rules F]}: runs the log analyzer (template miner and
 * detection rules) over a file or stdin and prints the top templates, the detections per rule
 * (anomalies) and the alerts; a progress bar goes to stderr for files.
 */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Analyze a log file or stdin: templates, anomalies, alerts.",
            "Input: MMF JSON log lines and/or plain-text lines (mixed is fine); bad lines and lines longer than"
                    + " 64 KiB are counted and skipped. Binary input (NUL bytes or mostly not UTF-8 in the first"
                    + " 8 KiB) is refused unless --force.",
            "Example: marty logs analyze app.log.json --rules rules.yaml --alerts alerts.jsonl"
        })
final class LogsAnalyzeCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file|->", description = "Log file; - for stdin.")
    String input;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    @Option(
            names = "--rules",
            paramLabel = "F",
            description = "YAML rules file (default: the built-in rules, see docs/log-analysis.md).")
    @Nullable
    Path rulesFile;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "10",
            description = "Templates to list. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--alerts", paramLabel = "F", description = "Also append every alert as a JSON line to F.")
    @Nullable
    Path alertsFile;

    @Option(names = "--webhook", paramLabel = "URL", description = "POST alerts as JSON to this webhook.")
    @Nullable
    URI webhook;

    @Option(
            names = "--alertmanager",
            paramLabel = "URL",
            description = "Send alerts to this Alertmanager (v2 API), e.g. http://127.0.0.1:9093.")
    @Nullable
    URI alertmanager;

    @Option(
            names = "--service",
            paramLabel = "NAME",
            description = "Service name for plain-text lines (default: the file name, or 'stdin').")
    @Nullable
    String service;

    @Option(
            names = "--log-format",
            paramLabel = "FMT",
            description = "Header format of plain lines, e.g. '<Date> <Time> <Level>: <Content>'; <Content> is"
                    + " the message, <Level> the level.")
    @Nullable
    String logFormat;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep following the file (survives rotation and truncation); print alerts as JSON"
                    + " lines as they fire, the summary on Ctrl-C.")
    boolean follow;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Option(names = "--force", description = "Read the input even when it looks like a binary file.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        boolean stdin = "-".equals(input);
        Path file = stdin ? null : Path.of(input);
        if (file != null && !follow && !Files.isRegularFile(file)) {
            err.println("marty logs analyze: " + input
                    + (Files.isDirectory(file) ? ": is a directory, not a file" : ": no such file"));
            return 2;
        }
        if (follow && stdin) {
            err.println("marty logs analyze: --follow needs a file, not stdin");
            return 2;
        }
        LogAnalyzer analyzer;
        LogFormat format;
        try {
            format = logFormat == null ? null : LogFormat.parse(logFormat);
            if (rulesFile != null) {
                CliInput.readText(rulesFile); // a missing, binary or non-UTF-8 file gets a one-line message
            }
            LogAnalyzer.Builder b = LogAnalyzer.builder()
                    .rules(rulesFile == null ? RuleSet.defaults() : RuleSet.load(rulesFile))
                    .defaultService(service != null ? service : stdin ? "stdin" : String.valueOf(file.getFileName()));
            if (alertsFile != null) {
                b.addSink(JsonLinesAlertSink.toFile(alertsFile));
            }
            if (webhook != null) {
                b.addSink(WebhookAlertSink.builder(webhook)
                        .source("marty-loganalysis")
                        .build());
            }
            if (alertmanager != null) {
                b.addSink(AlertmanagerAlertSink.builder(alertmanager)
                        .source("marty-loganalysis")
                        .build());
            }
            if (follow) {
                b.addSink(JsonLinesAlertSink.stdout());
            }
            analyzer = b.build();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("marty logs analyze: " + CliInput.message(e));
            return 2;
        }
        Consumer<String> sink = format == null ? analyzer::acceptLine : line -> acceptFormatted(analyzer, format, line);
        long t0 = System.nanoTime();
        try (analyzer) {
            if (follow) {
                return follow(analyzer, file, sink, out);
            }
            // The bar redraws with \r, for a terminal: System.console() is null when stdout is piped
            // (stderr may still be a terminal), so TERM counts too.
            boolean bar = !stdin && !noProgress && (System.console() != null || System.getenv("TERM") != null);
            Progress progress = new Progress(err, bar ? Files.size(file) : -1);
            long tooLong;
            try (InputStream in = CliInput.openLog(input, force)) {
                tooLong = LineSources.read(in, sink, LogLineParser.DEFAULT_MAX_LINE_LENGTH, progress::update);
            }
            progress.done();
            double seconds = (System.nanoTime() - t0) / 1e9;
            AnalysisSummary summary = analyzer.summary(top);
            if (json) {
                Map<String, Object> m = summary.toMap();
                m.put("too_long_lines", tooLong);
                m.put("max_line_bytes", LogLineParser.DEFAULT_MAX_LINE_LENGTH);
                m.put("seconds", Math.round(seconds * 1000) / 1000.0);
                out.println(MAPPER.writeValueAsString(m));
            } else {
                printText(out, summary, seconds, tooLong);
            }
            if (tooLong > 0) {
                err.printf(
                        java.util.Locale.ROOT,
                        "marty logs analyze: %s: %,d line(s) longer than %,d bytes skipped%n",
                        stdin ? "stdin" : input,
                        tooLong,
                        LogLineParser.DEFAULT_MAX_LINE_LENGTH);
            }
            out.flush();
            return 0;
        } catch (CliInput.InputException e) {
            err.println("marty logs analyze: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("marty logs analyze: " + CliInput.describe(input, e));
            return 2;
        }
    }

    private int follow(LogAnalyzer analyzer, Path file, Consumer<String> sink, PrintWriter out) throws IOException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                main.join(2000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        try (FileTailer tail = FileTailer.builder(file).build()) {
            long lastTick = System.nanoTime();
            while (!stop.get()) {
                if (tail.poll(sink) == 0) {
                    Thread.sleep(250);
                }
                if (System.nanoTime() - lastTick > 5_000_000_000L) {
                    analyzer.tick();
                    lastTick = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        printText(out, analyzer.summary(top), -1, 0);
        out.flush();
        return 0;
    }

    private static void acceptFormatted(LogAnalyzer analyzer, LogFormat format, String line) {
        Optional<Map<String, String>> fields = line.startsWith("{") ? Optional.empty() : format.fields(line);
        if (fields.isEmpty()) {
            analyzer.acceptLine(line);
            return;
        }
        Map<String, String> f = fields.get();
        LogEvent.Builder b = LogEvent.builder().structured(false).message(f.getOrDefault("Content", line));
        String level = f.get("Level");
        b.level(level == null ? LogLevel.UNKNOWN : LogLevel.parse(level));
        String svc = f.get("Component");
        if (svc != null) {
            b.field("component", svc);
        }
        analyzer.accept(b.build());
    }

    private static void printText(PrintWriter out, AnalysisSummary s, double seconds, long tooLong) {
        out.printf(
                "Analyzed %,d lines: %,d events, %,d malformed%s%s%s%n",
                s.lines(),
                s.events(),
                s.malformedTotal(),
                s.malformed().isEmpty() ? "" : " " + s.malformed(),
                tooLong > 0
                        ? String.format(
                                java.util.Locale.ROOT,
                                ", %,d longer than %,d bytes skipped",
                                tooLong,
                                LogLineParser.DEFAULT_MAX_LINE_LENGTH)
                        : "",
                seconds >= 0 ? String.format(" in %.2f s", seconds) : "");
        out.printf("%nTop templates (%,d distinct):%n", s.templates());
        out.printf("  %10s %8s  %s%n", "count", "errors", "template");
        for (AnalysisSummary.TemplateCount t : s.topTemplates()) {
            String text = t.template() == null ? "" : t.template();
            out.printf(
                    "  %,10d %,8d  %s%n",
                    t.count(), t.errors(), text.length() > 120 ? text.substring(0, 117) + "..." : text);
        }
        out.printf("%nAnomalies (detections per rule):%n");
        out.printf("  %-26s %-14s %7s %11s%n", "rule", "type", "alerts", "suppressed");
        s.rules()
                .forEach(
                        (name, r) -> out.printf("  %-26s %-14s %7d %11d%n", name, r.type(), r.fired(), r.suppressed()));
        out.printf(
                "%nAlerts (%,d%s):%n", s.alerts(), s.alerts() > s.recentAlerts().size() ? ", latest shown" : "");
        if (s.recentAlerts().isEmpty()) {
            out.println("  none");
        }
        for (Alert a : s.recentAlerts()) {
            out.printf(
                    "  %s %-8s %-24s %s%n",
                    a.firedAt(), a.severity().label().toUpperCase(java.util.Locale.ROOT), a.rule(), a.explanation());
        }
        if (s.evictions() > 0) {
            out.printf("%n%,d keys were evicted from bounded state (raise max_keys if this matters).%n", s.evictions());
        }
    }

    /** A one-line progress bar on stderr, redrawn at most every 200 ms; disabled when total < 0. */
    private static final class Progress {
        private final PrintWriter err;
        private final long total;
        private long lastDraw;
        private boolean drawn;

        Progress(PrintWriter err, long total) {
            this.err = err;
            this.total = total;
        }

        void update(long bytes) {
            if (total <= 0) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastDraw < 200_000_000L && bytes < total) {
                return;
            }
            lastDraw = now;
            int width = 30;
            double frac = Math.min(1.0, bytes / (double) total);
            int filled = (int) Math.round(frac * width);
            err.printf(
                    "\r[%s%s] %3d%% %,d / %,d bytes",
                    "#".repeat(filled), ".".repeat(width - filled), Math.round(frac * 100), bytes, total);
            err.flush();
            drawn = true;
        }

        void done() {
            if (drawn) {
                err.println();
                err.flush();
            }
        }
    }
}
