package io.marty.observability.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The generated alert rules pass {@code promtool check rules} and their generated {@code promtool
 * test rules} cases; the checked-in copies under deploy/ and docs/runbooks/ are current; every
 * {@code runbook_url} resolves to a file in the repository.
 */
class AlertRulesTest {
    private static final Path RULES_DIR = Tools.REPO.resolve("deploy/prometheus/rules");
    private final AlertRules rules = AlertRules.builder().build();

    @Test
    void checkedInFilesAreCurrent() throws Exception {
        Tools.assertGenerated(RULES_DIR.resolve("mmf-alerts.rules.yml"), rules.renderRules());
        Tools.assertGenerated(
                RULES_DIR.resolve("mmf-alerts.rules.test.yml"), rules.renderTests("mmf-alerts.rules.yml"));
        for (AlertRule r : rules.rules()) {
            Tools.assertGenerated(Tools.REPO.resolve("docs/runbooks/" + r.name() + ".md"), rules.renderRunbook(r));
        }
    }

    @Test
    void promtoolChecksTheRulesAndRunsTheGeneratedTests() throws Exception {
        Path dir = Files.createTempDirectory("mmf-alerts");
        Files.writeString(dir.resolve("a.rules.yml"), rules.renderRules());
        Files.writeString(dir.resolve("a.rules.test.yml"), rules.renderTests("a.rules.yml"));
        ExternalTools.Result check =
                ExternalTools.run(dir, 60, "promtool", "check", "rules", "--lint-fatal", "a.rules.yml");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + rules.rules().size() + " rules found");
        ExternalTools.Result test = ExternalTools.run(dir, 120, "promtool", "test", "rules", "a.rules.test.yml");
        assertThat(test.exitCode()).as(test.output()).isZero();
    }

    @Test
    void theTestsWouldCatchABrokenThreshold() throws Exception {
        // the same tests against rules whose thresholds never trigger must fail: the firing cases are real
        Path dir = Files.createTempDirectory("mmf-alerts-broken");
        String broken = rules.renderRules().replaceAll("(expr: '.*) > [0-9.]+'", "$1 > 1e12'");
        assertThat(broken).isNotEqualTo(rules.renderRules());
        Files.writeString(dir.resolve("a.rules.yml"), broken);
        Files.writeString(dir.resolve("a.rules.test.yml"), rules.renderTests("a.rules.yml"));
        ExternalTools.Result test = ExternalTools.run(dir, 120, "promtool", "test", "rules", "a.rules.test.yml");
        assertThat(test.exitCode()).isNotZero();
        for (AlertRule r : rules.rules()) {
            if (!r.name().equals("MmfServiceDown")) { // its condition is == 0, not a threshold
                assertThat(test.output()).as(r.name()).contains(r.name() + " fires");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasTheLabelsAnnotationsAndARunbookThatExists() throws Exception {
        Map<String, Object> doc = new Yaml().load(Files.readString(RULES_DIR.resolve("mmf-alerts.rules.yml")));
        List<Map<String, Object>> groups = (List<Map<String, Object>>) doc.get("groups");
        int alerts = 0;
        for (Map<String, Object> g : groups) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) g.get("rules")) {
                alerts++;
                Map<String, String> labels = (Map<String, String>) rule.get("labels");
                Map<String, String> ann = (Map<String, String>) rule.get("annotations");
                assertThat(labels).containsKeys("severity", "team");
                assertThat(labels.get("severity")).isIn("page", "ticket");
                assertThat(ann).containsKeys("summary", "description", "runbook_url");
                Path runbook = Tools.REPO.resolve(ann.get("runbook_url"));
                assertThat(runbook).as(ann.get("runbook_url")).isRegularFile();
                assertThat(Files.readString(runbook))
                        .contains("# " + rule.get("alert"))
                        .contains("## What it means")
                        .contains("## How to confirm")
                        .contains("## What to do");
            }
        }
        assertThat(alerts).isEqualTo(rules.rules().size()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> AlertRules.builder().team("a b")).hasMessageContaining("team='a b'");
        assertThatThrownBy(() -> AlertRules.builder().runbookBaseUrl("https://x/runbooks"))
                .hasMessageContaining("runbookBaseUrl='https://x/runbooks'");
        AlertRules custom = AlertRules.builder()
                .team("payments")
                .runbookBaseUrl("https://git.example.com/r/")
                .build();
        assertThat(custom.renderRules())
                .contains("team: 'payments'")
                .contains("runbook_url: 'https://git.example.com/r/MmfServiceDown.md'");
    }
}
