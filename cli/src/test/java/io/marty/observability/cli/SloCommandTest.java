package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SloCommandTest {
    @TempDir
    Path dir;

    private static int run(String... args) {
        return new CommandLine(new MartyCli()).execute(args);
    }

    @Test
    void generateWritesRulesTestsAndAlertmanagerConfig() throws Exception {
        Path spec = dir.resolve("shop.yaml");
        Files.writeString(
                spec, "service: shop\nslos:\n  - availability 99.5% over 28d\n  - latency p99 < 1s over 7d\n");
        int rc = run(
                "slo",
                "generate",
                "-f",
                spec.toString(),
                "--defaults-for",
                "orders",
                "-o",
                dir.toString(),
                "--name",
                "shop",
                "--page-webhook",
                "https://pager.example.com/x");
        assertThat(rc).isZero();
        assertThat(Files.readString(dir.resolve("shop.rules.yml")))
                .contains("slo:sli_error:ratio_rate28d")
                .contains("service=\"orders\"")
                .contains("alert: MmfSloErrorBudgetBurn");
        assertThat(Files.readString(dir.resolve("shop.rules.test.yml"))).contains("rule_files:\n  - 'shop.rules.yml'");
        assertThat(Files.readString(dir.resolve("alertmanager.yml"))).contains("https://pager.example.com/x");
    }

    @Test
    void checkReturnsTwoForAnInvalidSpecAndReportPrintsBudgets() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "service: a\nslos:\n  - availability 99.9% over 30x\n");
        assertThat(run("slo", "check", "--no-promtool", "-f", bad.toString())).isEqualTo(2);
        assertThat(run("slo", "check", "--no-promtool", "--defaults-for", "orders"))
                .isZero();
        Path warn = dir.resolve("warn.yaml");
        Files.writeString(warn, "service: a\nslos:\n  - latency < 300ms for 99% over 7d\n");
        assertThat(run("slo", "check", "--no-promtool", "--strict", "-f", warn.toString()))
                .isEqualTo(1);
        assertThat(run("slo", "report", "--defaults-for", "orders")).isZero();
        assertThat(run("slo", "report")).isEqualTo(2);
    }
}
