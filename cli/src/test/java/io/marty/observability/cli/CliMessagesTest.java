package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What the commands print for bad input: one line on stderr naming the command, the input and what
 * is wrong, never a Java class or exception text, and the documented exit code.
 */
class CliMessagesTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = MartyCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Stderr, checked to hold no Java exception text. */
    private String errText() {
        String text = err.toString();
        assertThat(text)
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("Input length")
                .doesNotContain("\tat ");
        return text;
    }

    private Path garbage() throws Exception {
        byte[] bytes = new byte[20_000];
        new Random(42).nextBytes(bytes);
        return Files.write(dir.resolve("garbage.bin"), bytes);
    }

    private Path sloSpec() throws Exception {
        return Files.writeString(dir.resolve("ok.yaml"), "service: shop\nslos:\n  - availability 99.5% over 28d\n");
    }

    @Test
    void sloCheckOfABinaryFileSaysNotUtf8Text() throws Exception {
        Path bin = garbage();
        assertThat(run("slo", "check", "--no-promtool", "-f", bin.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("marty slo check: " + bin + ": not UTF-8 text" + System.lineSeparator());
    }

    @Test
    void aMissingSpecFileIsCalledMissing() {
        Path missing = dir.resolve("nope.yaml");
        assertThat(run("slo", "check", "--no-promtool", "-f", missing.toString()))
                .isEqualTo(2);
        assertThat(errText()).isEqualTo("marty slo check: " + missing + ": no such file" + System.lineSeparator());
        assertThat(run("slo", "report", "-f", dir.toString())).isEqualTo(2);
        assertThat(errText()).contains("marty slo report: " + dir + ": is a directory, not a file");
    }

    @Test
    void anEmptySpecFileWarnsAndFailsTheCheck() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        Path comments = Files.writeString(dir.resolve("comments.yaml"), "# nothing here yet\n");
        assertThat(run("slo", "check", "--no-promtool", "-f", empty.toString())).isEqualTo(1);
        assertThat(errText()).contains("marty slo check: warning: " + empty + ": no SLOs in this file");
        assertThat(run("slo", "check", "--no-promtool", "-f", sloSpec().toString(), "-f", comments.toString()))
                .isEqualTo(1);
        assertThat(errText()).contains(comments + ": no SLOs in this file");
        assertThat(out.toString()).contains("ok: ");
        // generate and report warn but still do their work with the SLOs there are
        assertThat(run("slo", "generate", "-f", empty.toString(), "--defaults-for", "orders", "-o", dir.toString()))
                .isZero();
        assertThat(errText()).contains("marty slo generate: warning: " + empty + ": no SLOs in this file");
        assertThat(dir.resolve("slo.rules.yml")).exists();
        // a good file alone still passes
        err.getBuffer().setLength(0);
        assertThat(run("slo", "check", "--no-promtool", "-f", sloSpec().toString()))
                .isZero();
        assertThat(errText()).doesNotContain("warning");
    }

    @Test
    void unexpectedFailuresAreOneLineToo() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThat(run("slo", "generate", "--defaults-for", "orders", "-o", file.toString()))
                .isEqualTo(2);
        assertThat(errText()).isEqualTo("marty slo generate: " + file + ": already exists" + System.lineSeparator());
    }

    private Path logWithHugeLine() throws Exception {
        Path log = dir.resolve("huge.log");
        String line = "{\"level\":\"INFO\",\"message\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        Files.writeString(log, "first line\n" + line + "\nlast line\n", StandardCharsets.UTF_8);
        return log;
    }

    @Test
    void logsAnalyzeReportsLinesTooLongToAnalyze() throws Exception {
        Path log = logWithHugeLine();
        assertThat(run("logs", "analyze", "--no-progress", log.toString())).isZero();
        assertThat(out.toString()).contains("Analyzed 2 lines").contains("1 longer than 65,536 bytes skipped");
        assertThat(errText()).contains("marty logs analyze: " + log + ": 1 line(s) longer than 65,536 bytes skipped");
        out.getBuffer().setLength(0);
        assertThat(run("logs", "analyze", "--no-progress", "--json", log.toString()))
                .isZero();
        assertThat(new ObjectMapper()
                        .readTree(out.toString())
                        .get("too_long_lines")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void logsAnalyzeNamesABadRulesFileInOneLine() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "hello\n");
        Path bin = garbage();
        assertThat(run("logs", "analyze", "--no-progress", log.toString(), "--rules", bin.toString()))
                .isEqualTo(2);
        assertThat(errText()).isEqualTo("marty logs analyze: " + bin + ": not UTF-8 text" + System.lineSeparator());
        err.getBuffer().setLength(0);
        Path missing = dir.resolve("rules.yaml");
        assertThat(run("logs", "analyze", "--no-progress", log.toString(), "--rules", missing.toString()))
                .isEqualTo(2);
        assertThat(errText()).isEqualTo("marty logs analyze: " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void binaryLogInputIsRefusedUnlessForced() throws Exception {
        Path bin = garbage();
        Path csv = dir.resolve("t.csv");
        assertThat(run("logs", "templates", bin.toString(), "-o", csv.toString()))
                .isEqualTo(2);
        assertThat(errText())
                .startsWith("marty logs templates: " + bin + ": looks like a binary file, not a text log (NUL bytes")
                .contains("use --force");
        assertThat(csv).doesNotExist();
        assertThat(run("logs", "analyze", "--no-progress", bin.toString())).isEqualTo(2);
        assertThat(errText()).contains("marty logs analyze: " + bin + ": looks like a binary file");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run("logs", "templates", "--force", bin.toString(), "-o", csv.toString()))
                .isZero();
        assertThat(csv).exists();
        assertThat(errText()).contains("templates");
    }

    @Test
    void latin1AndColouredLogsAreText() throws Exception {
        Path latin1 = dir.resolve("latin1.log");
        Files.write(
                latin1,
                "2024-01-01 INFO caf\u00e9 ouvert \u00e0 8h\n\u001b[32mINFO\u001b[0m started\n"
                        .repeat(50)
                        .getBytes(StandardCharsets.ISO_8859_1));
        Path csv = dir.resolve("l.csv");
        assertThat(run("logs", "templates", latin1.toString(), "-o", csv.toString()))
                .isZero();
        assertThat(Files.readAllLines(csv)).hasSize(101); // header + one row per line
    }

    @Test
    void binarySniffing() {
        byte[] text = "ok line\n".repeat(10).getBytes(StandardCharsets.UTF_8);
        assertThat(CliInput.binaryReason(text, text.length)).isNull();
        byte[] utf8 = "\u00fcber \u20ac\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        // a multi-byte character cut by the end of the sample is still text
        assertThat(CliInput.binaryReason(utf8, utf8.length - 2)).isNull();
        byte[] nul = "text\0more".getBytes(StandardCharsets.UTF_8);
        assertThat(CliInput.binaryReason(nul, nul.length)).startsWith("NUL bytes");
        byte[] high = new byte[1000];
        java.util.Arrays.fill(high, (byte) 0xff);
        assertThat(CliInput.binaryReason(high, high.length)).startsWith("mostly not UTF-8");
    }
}
