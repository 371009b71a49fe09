package io.marty.observability.cli;

import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloAlertmanagerConfig;
import io.marty.observability.slo.SloRuleGenerator;
import io.marty.observability.slo.SloRuleTestGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code marty slo generate}: Prometheus rules, their promtool unit tests and Alertmanager routing. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Write <name>.rules.yml (recording rules + multi-window burn-rate alerts), <name>.rules.test.yml"
                    + " (promtool test rules) and alertmanager.yml into the output directory.",
            "Example: marty slo generate -f deploy/slo/checkout.yaml -o deploy/prometheus/rules"
        })
final class SloGenerateCommand implements Callable<Integer> {
    @Mixin
    SloCommand.Specs specs = new SloCommand.Specs();

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Output directory.")
    Path output;

    @Option(
            names = "--name",
            defaultValue = "slo",
            description = "Base name of the rule files (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--page-webhook", description = "Alertmanager webhook for pages.")
    @Nullable
    String pageWebhook;

    @Option(names = "--ticket-webhook", description = "Alertmanager webhook for tickets.")
    @Nullable
    String ticketWebhook;

    @Option(names = "--no-alertmanager", description = "Do not write alertmanager.yml.")
    boolean noAlertmanager;

    @Override
    public Integer call() throws Exception {
        List<Slo> slos = specs.loadOrNull();
        if (slos == null) {
            return 2;
        }
        SloCommand.Specs.warnings(slos).forEach(specs.err()::println);
        Files.createDirectories(output);
        Path rules = output.resolve(name + ".rules.yml");
        Path tests = output.resolve(name + ".rules.test.yml");
        Files.writeString(rules, SloRuleGenerator.rules(slos));
        Files.writeString(
                tests, SloRuleTestGenerator.generate(slos, rules.getFileName().toString()));
        specs.out().println("wrote " + rules + " (" + slos.size() + " SLOs)");
        specs.out().println("wrote " + tests + " (run: promtool test rules " + tests + ")");
        if (!noAlertmanager) {
            SloAlertmanagerConfig.Builder am = SloAlertmanagerConfig.builder();
            if (pageWebhook != null) {
                am.pageWebhook(pageWebhook);
            }
            if (ticketWebhook != null) {
                am.ticketWebhook(ticketWebhook);
            }
            Path amFile = output.resolve("alertmanager.yml");
            Files.writeString(amFile, am.build().render());
            specs.out().println("wrote " + amFile + " (run: amtool check-config " + amFile + ")");
        }
        return 0;
    }
}
