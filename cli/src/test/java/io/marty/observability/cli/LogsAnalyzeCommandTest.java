package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LogsAnalyzeCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new LogsAnalyzeCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path sampleLog() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add("{\"timestamp\":\"2026-01-05T10:00:" + String.format("%02d", i) + "Z\",\"level\":\"WARN\","
                    + "\"service_name\":\"auth\",\"category\":\"security\",\"message\":\"Authentication failed\","
                    + "\"context\":{\"user_id\":\"alice\"},\"fields\":{\"security_event\":\"authentication_failure\","
                    + "\"source_ip\":\"203.0.113.5\"}}");
        }
        lines.add("{not json");
        lines.add("2026-01-05 10:01:00 INFO worker started 7 threads");
        Path f = dir.resolve("app.log");
        Files.write(f, lines);
        return f;
    }

    @Test
    void jsonSummaryHasTemplatesAnomaliesAndAlerts() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        int code = run(sampleLog().toString(), "--json", "--alerts", alerts.toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode s = new ObjectMapper().readTree(out.toString());
        assertThat(s.get("lines").asInt()).isEqualTo(14);
        assertThat(s.get("malformed").get("invalid_json").asInt()).isEqualTo(1);
        assertThat(s.get("top_templates").get(0).get("template").asText()).isEqualTo("Authentication failed");
        assertThat(s.get("anomalies").get("brute_force_login").get("fired").asInt())
                .isEqualTo(1);
        assertThat(s.get("alerts").toString()).contains("10 failed logins for user 'alice'");
        assertThat(Files.readAllLines(alerts)).hasSize(s.get("alerts_total").asInt());
    }

    @Test
    void textSummaryAndErrors() throws Exception {
        assertThat(run(sampleLog().toString())).isZero();
        assertThat(out.toString())
                .contains("Analyzed 14 lines")
                .contains("Top templates")
                .contains("Anomalies (detections per rule)")
                .contains("brute_force_login");
        assertThat(run(dir.resolve("missing.log").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file");
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "rules:\n  - {name: x, type: threshold, match: {level: [ERROR]}, windw: 5m}\n");
        assertThat(run(sampleLog().toString(), "--rules", rules.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(rules + ":2:57: rules[0].windw: unknown key (did you mean 'window'?)");
    }
}
