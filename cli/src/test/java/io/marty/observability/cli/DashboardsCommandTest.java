package io.marty.observability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.dashboards.Dashboard;
import io.marty.observability.dashboards.Dashboards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardsCommandTest {
    @TempDir
    Path dir;

    private static int run(String... args) {
        return MartyCli.commandLine().execute(args);
    }

    @Test
    void generateWritesDashboardsRulesAndRunbooks() throws Exception {
        Path spec = dir.resolve("shop.yaml");
        Files.writeString(spec, "service: shop\nslos:\n  - availability 99.5% over 28d\n");
        int rc = run(
                "dashboards",
                "generate",
                "-o",
                dir.resolve("d").toString(),
                "--slo",
                spec.toString(),
                "--rules-output",
                dir.resolve("r").toString(),
                "--runbooks-output",
                dir.resolve("rb").toString(),
                "--team",
                "shop",
                "--runbook-base-url",
                "https://git.example.com/rb/");
        assertThat(rc).isZero();
        // every dashboard the generator knows (DashboardsTest pins the list)
        for (Dashboard d : Dashboards.generate(List.of())) {
            String uid = d.uid();
            assertThat(Files.readString(dir.resolve("d/" + uid + ".json"))).contains("\"uid\" : \"" + uid + "\"");
        }
        // the SLO dashboard shows the 28d window of the given spec
        assertThat(Files.readString(dir.resolve("d/mmf-slo.json"))).contains("slo:sli_error:ratio_rate28d");
        assertThat(Files.readString(dir.resolve("r/mmf-alerts.rules.yml")))
                .contains("team: 'shop'")
                .contains("https://git.example.com/rb/MmfServiceDown.md");
        assertThat(dir.resolve("r/mmf-alerts.rules.test.yml")).exists();
        assertThat(dir.resolve("rb/MmfHighErrorRatio.md")).exists();
    }

    @Test
    void badInputReturnsTwo() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "service: a\nslos:\n  - availability 99.9% over 30x\n");
        assertThat(run("dashboards", "generate", "-o", dir.toString(), "--slo", bad.toString()))
                .isEqualTo(2);
        assertThat(run("dashboards", "generate", "-o", dir.toString(), "--runbook-base-url", "x"))
                .isEqualTo(2);
    }
}
