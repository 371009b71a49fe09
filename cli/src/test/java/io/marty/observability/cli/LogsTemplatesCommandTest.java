package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.marty.observability.loganalysis.mining.LoghubDataset;
import io.marty.observability.loganalysis.mining.ParsingAccuracy;
import io.marty.observability.loganalysis.mining.TemplateCsv;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LogsTemplatesCommandTest {

    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new MartyCli());
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static List<List<String>> readCsv(Path p) throws Exception {
        return TemplateCsv.read(new StringReader(Files.readString(p, StandardCharsets.UTF_8)));
    }

    @Test
    void writesOneRowPerLineWithFinalTemplatesAndProperQuoting() throws Exception {
        Path in = dir.resolve("app.log");
        Files.writeString(
                in,
                String.join(
                        "\n",
                        "2024-01-01 10:00:00 INFO: Invalid user alice from 10.0.0.1",
                        "2024-01-01 10:00:01 INFO: Invalid user bob from 10.0.0.2",
                        "2024-01-01 10:00:02 WARN: quota \"gold\", user=carol exceeded",
                        "not a header line at all",
                        "2024-01-01 10:00:03 INFO: Invalid user dave from 10.0.0.3",
                        "2024-01-01 10:00:04 INFO: Invalid user erin from 10.0.0.4",
                        "2024-01-01 10:00:05 INFO: Invalid user frank from 10.0.0.5",
                        ""),
                StandardCharsets.UTF_8);
        Path out = dir.resolve("out.csv");
        StringWriter err = new StringWriter();
        int code = run(
                err,
                "logs",
                "templates",
                in.toString(),
                "--output",
                out.toString(),
                "--log-format",
                "<Date> <Time> <Level>: <Content>");

        assertThat(code).isZero();
        List<List<String>> rows = readCsv(out);
        assertThat(rows.get(0)).containsExactly("LineId", "EventId", "EventTemplate");
        assertThat(rows).hasSize(8);
        assertThat(rows.get(1)).containsExactly("1", rows.get(2).get(1), "Invalid user <*> from <*>");
        assertThat(rows.get(3)).containsExactly("3", rows.get(3).get(1), "quota \"gold\", user=<*> exceeded");
        assertThat(rows.get(4).get(2)).isEqualTo("not a header line at all");
        assertThat(rows.get(6).get(1)).isEqualTo(rows.get(1).get(1));
        assertThat(Files.readString(out)).contains("\"quota \"\"gold\"\", user=<*> exceeded\"");
        assertThat(err.toString()).contains("7 lines").contains("1 lines did not fit --log-format");
    }

    @Test
    void badArgumentsFailWithAMessage() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "logs", "templates", dir.resolve("missing.log").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no such file");
        StringWriter err2 = new StringWriter();
        assertThat(run(err2, "logs", "templates", "-", "--log-format", "<Date> <Level>"))
                .isEqualTo(2);
        assertThat(err2.toString()).contains("<Content>");
        StringWriter err3 = new StringWriter();
        assertThat(run(err3, "logs", "templates", "-", "--max-templates", "0")).isEqualTo(2);
        assertThat(err3.toString()).contains("maxTemplates");
    }

    @Test
    void scoresLoghubHdfsLikeTheBenchmark() throws Exception {
        Path root = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && root == null; p = p.getParent()) {
            Path c = p.resolve("shared/benchdata/loghub2k/HDFS");
            root = Files.isDirectory(c) ? c : null;
        }
        assumeTrue(root != null, "Loghub-2k data not present");
        Path out = dir.resolve("hdfs.csv");
        int code = run(
                new StringWriter(),
                "logs",
                "templates",
                root.resolve("HDFS_2k.log").toString(),
                "-o",
                out.toString(),
                "--log-format",
                "<Date> <Time> <Pid> <Level> <Component>: <Content>");
        assertThat(code).isZero();
        List<List<String>> rows = readCsv(out);
        LoghubDataset truth = LoghubDataset.load(root.resolve("HDFS_2k.log_structured_corrected.csv"));
        assertThat(rows).hasSize(truth.templates().size() + 1);
        List<String> ids = new ArrayList<>();
        List<String> templates = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).get(0)).isEqualTo(Integer.toString(i));
            ids.add(rows.get(i).get(1));
            templates.add(rows.get(i).get(2));
        }
        ParsingAccuracy a = ParsingAccuracy.score(truth.templates(), ids, templates);
        assertThat(a.ga()).isGreaterThanOrEqualTo(0.99);
        assertThat(a.pa()).isGreaterThanOrEqualTo(0.9);
    }
}
