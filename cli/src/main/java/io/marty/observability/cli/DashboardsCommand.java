package io.marty.observability.cli;

import io.marty.observability.dashboards.AlertRule;
import io.marty.observability.dashboards.AlertRules;
import io.marty.observability.dashboards.Dashboard;
import io.marty.observability.dashboards.Dashboards;
import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code marty dashboards}: Grafana dashboards and the alert rules that go with them. */
@Command(
        name = "dashboards",
        description = "Generate Grafana dashboards and Prometheus alert rules.",
        mixinStandardHelpOptions = true,
        subcommands = {DashboardsCommand.Generate.class})
final class DashboardsCommand {

    /** {@code marty dashboards generate}. */
    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = {
                "Write the Grafana dashboards (<uid>.json: mmf-service-overview, mmf-tracing-analysis,"
                        + " mmf-plugin-troubleshooting, mmf-slo, mmf-infrastructure, mmf-log-analysis,"
                        + " mmf-business) into the"
                        + " output directory; with --rules-output also mmf-alerts.rules.yml, its promtool tests"
                        + " and, with --runbooks-output, the runbooks the alerts link to.",
                "Example: marty dashboards generate -o deploy/grafana/dashboards --slo deploy/slo/shop.yaml"
            })
    static final class Generate implements Callable<Integer> {
        @Option(
                names = {"-o", "--output"},
                paramLabel = "DIR",
                defaultValue = ".",
                description = "Directory for the dashboard JSON files.")
        Path output;

        @Option(
                names = "--slo",
                paramLabel = "FILE",
                description = "SLO spec (native or OpenSLO v1) whose burn-rate windows the SLO dashboard shows;"
                        + " repeatable.")
        List<Path> slo = new ArrayList<>();

        @Option(
                names = "--rules-output",
                paramLabel = "DIR",
                description = "Also write mmf-alerts.rules.yml and mmf-alerts.rules.test.yml here.")
        @Nullable
        Path rulesOutput;

        @Option(names = "--runbooks-output", paramLabel = "DIR", description = "Also write <alert>.md runbooks here.")
        @Nullable
        Path runbooksOutput;

        @Option(names = "--team", defaultValue = "platform", description = "team label of the alerts.")
        String team;

        @Option(
                names = "--runbook-base-url",
                defaultValue = AlertRules.DEFAULT_RUNBOOK_BASE,
                description = "Prefix of runbook_url, ending in '/' (default ${DEFAULT-VALUE}).")
        String runbookBaseUrl;

        @Override
        public Integer call() throws Exception {
            // bad specs and options (SloSpecException, IllegalArgumentException) reach MartyCli's one
            // handler, which prints them as one line and exits 2
            List<Slo> slos = slo.isEmpty() ? List.of() : SloLoader.load(slo);
            AlertRules rules = AlertRules.builder()
                    .team(team)
                    .runbookBaseUrl(runbookBaseUrl)
                    .build();
            List<Dashboard> dashboards = Dashboards.generate(slos);
            for (Path f : Dashboards.write(dashboards, output)) {
                System.out.println("wrote " + f);
            }
            if (rulesOutput != null) {
                Files.createDirectories(rulesOutput);
                Path r = rulesOutput.resolve("mmf-alerts.rules.yml");
                Path t = rulesOutput.resolve("mmf-alerts.rules.test.yml");
                Files.writeString(r, rules.renderRules());
                Files.writeString(t, rules.renderTests(r.getFileName().toString()));
                System.out.println("wrote " + r + " (" + rules.rules().size() + " alerts)");
                System.out.println("wrote " + t + " (run: promtool test rules " + t + ")");
            }
            if (runbooksOutput != null) {
                Files.createDirectories(runbooksOutput);
                for (AlertRule a : rules.rules()) {
                    Files.writeString(runbooksOutput.resolve(a.name() + ".md"), rules.renderRunbook(a));
                }
                System.out.println("wrote " + rules.rules().size() + " runbooks to " + runbooksOutput);
            }
            return 0;
        }
    }
}
