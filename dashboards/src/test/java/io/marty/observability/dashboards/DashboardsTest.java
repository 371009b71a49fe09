package io.marty.observability.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.dashboards.Dashboard.PanelQuery;
import io.marty.observability.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Structural check of the generated dashboards (Grafana's JSON schema package cannot be fetched
 * here): uids unique and as documented, every datasource reference resolves to a datasource
 * variable, every variable a query uses is defined, gridPos inside 24 columns and never overlapping,
 * every panel described; every PromQL expression passes {@code promtool check rules} once wrapped
 * into recording rules; the copies under deploy/grafana/dashboards/ are current.
 */
class DashboardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VAR = Pattern.compile("\\$\\{?([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Set<String> GRAFANA_BUILTINS = Set.of("__rate_interval", "__interval", "__range");

    private final List<Dashboard> dashboards = DeploySpecs.dashboards();

    @Test
    void checkedInDashboardsAreCurrent() throws Exception {
        for (Dashboard d : dashboards) {
            Tools.assertGenerated(Tools.REPO.resolve("deploy/grafana/dashboards/" + d.uid() + ".json"), d.json());
        }
        Tools.assertGenerated(
                Tools.REPO.resolve("docs/dashboards.md"),
                Dashboards.markdown(dashboards)
                        + "\n## Alert rules\n\n`marty dashboards generate --rules-output DIR` writes these (team label"
                        + " `--team`, default `platform`) with their promtool tests; each links its runbook. The SLO"
                        + " burn-rate alerts come from `marty slo generate` (docs/slo.md).\n\n"
                        + AlertRules.builder().build().markdownTable("runbooks/"));
    }

    @Test
    void uidsAreTheDocumentedOnesAndUnique() {
        assertThat(dashboards)
                .extracting(Dashboard::uid)
                .containsExactly(
                        "mmf-service-overview",
                        "mmf-tracing-analysis",
                        "mmf-plugin-troubleshooting",
                        "mmf-slo",
                        "mmf-infrastructure",
                        "mmf-log-analysis",
                        "mmf-business")
                .doesNotHaveDuplicates();
    }

    @Test
    void structureIsValid() throws Exception {
        for (Dashboard d : dashboards) {
            JsonNode root = JSON.readTree(d.json());
            assertThat(root.get("uid").asText()).isEqualTo(d.uid());
            assertThat(root.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
            Set<String> datasourceVars = new HashSet<>();
            Set<String> vars = new HashSet<>();
            for (JsonNode v : root.at("/templating/list")) {
                assertThat(vars.add(v.get("name").asText()))
                        .as("duplicate variable in " + d.uid())
                        .isTrue();
                if (v.get("type").asText().equals("datasource")) {
                    datasourceVars.add("${" + v.get("name").asText() + "}");
                }
            }
            assertThat(vars).as(d.uid()).contains("datasource", "service", "environment");
            for (JsonNode v : root.at("/templating/list")) {
                if (v.has("datasource")) {
                    assertThat(datasourceVars).contains(v.at("/datasource/uid").asText());
                }
                if (v.has("definition")) {
                    assertVariablesDefined(d.uid(), v.get("definition").asText(), vars);
                }
            }
            List<int[]> boxes = new ArrayList<>();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : root.get("panels")) {
                String where = d.uid() + " / " + p.get("title").asText();
                assertThat(ids.add(p.get("id").asInt()))
                        .as("duplicate id " + where)
                        .isTrue();
                JsonNode g = p.get("gridPos");
                int[] box = {
                    g.get("x").asInt(),
                    g.get("y").asInt(),
                    g.get("w").asInt(),
                    g.get("h").asInt()
                };
                assertThat(box[0]).as(where).isGreaterThanOrEqualTo(0);
                assertThat(box[0] + box[2]).as(where).isLessThanOrEqualTo(24);
                assertThat(box[3]).as(where).isPositive();
                for (int[] o : boxes) {
                    boolean overlap = box[0] < o[0] + o[2]
                            && o[0] < box[0] + box[2]
                            && box[1] < o[1] + o[3]
                            && o[1] < box[1] + box[3];
                    assertThat(overlap).as("gridPos overlap: " + where).isFalse();
                }
                boxes.add(box);
                if (p.get("type").asText().equals("row")) {
                    continue;
                }
                assertThat(p.path("description").asText())
                        .as("description of " + where)
                        .hasSizeGreaterThan(20);
                assertThat(datasourceVars)
                        .as("datasource of " + where)
                        .contains(p.at("/datasource/uid").asText());
                assertThat(p.get("targets")).as(where).isNotEmpty();
                for (JsonNode t : p.get("targets")) {
                    assertThat(datasourceVars).contains(t.at("/datasource/uid").asText());
                    assertVariablesDefined(where, t.get("expr").asText(), vars);
                }
            }
        }
    }

    private static void assertVariablesDefined(String where, String text, Set<String> vars) {
        Matcher m = VAR.matcher(text);
        while (m.find()) {
            String v = m.group(1);
            assertThat(GRAFANA_BUILTINS.contains(v) || vars.contains(v))
                    .as("%s uses $%s, which is not defined", where, v)
                    .isTrue();
        }
    }

    @Test
    void everyPanelQueryPassesPromtool() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int n = 0;
        for (Dashboard d : dashboards) {
            assertThat(d.prometheusQueries()).as(d.uid()).isNotEmpty();
            for (PanelQuery q : d.prometheusQueries()) {
                rules.append("      - record: mmf_dashboard:query").append(n++).append('\n');
                rules.append("        expr: '")
                        .append(q.resolved("5m").replace("'", "''"))
                        .append("'\n");
            }
        }
        Path dir = Files.createTempDirectory("mmf-dash");
        Files.writeString(dir.resolve("queries.yml"), rules.toString());
        ExternalTools.Result r = ExternalTools.run(dir, 60, "promtool", "check", "rules", "queries.yml");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + n + " rules found");
    }

    @Test
    void theSloDashboardFollowsTheSpecs() {
        Dashboard slo = dashboards.stream()
                .filter(d -> d.uid().equals("mmf-slo"))
                .findFirst()
                .orElseThrow();
        // shop.yaml has a 7d latency SLO and a 30d availability SLO: both period windows are recorded
        assertThat(slo.json()).contains("slo:sli_error:ratio_rate7d").contains("slo:sli_error:ratio_rate30d");
        assertThat(Dashboards.generate(List.of()).get(3).json()).doesNotContain("ratio_rate30d");
    }
}
