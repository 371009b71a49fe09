package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example files under {@code deploy/} are what the generator produces from {@code deploy/slo/}, and
 * pass {@code promtool check config} (which also checks the rules) and {@code amtool check-config}.
 * Regenerate with the command at the top of {@code deploy/slo/shop.yaml}.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();

    private static List<Slo> specs() {
        return SloLoader.load(
                List.of(DEPLOY.resolve("slo/shop.yaml"), DEPLOY.resolve("slo/payment-service.openslo.yaml")));
    }

    @Test
    void generatedFilesAreUpToDate() throws Exception {
        List<Slo> slos = specs();
        assertThat(slos).hasSize(5);
        assertThat(slos).allSatisfy(s -> assertThat(s.warnings()).isEmpty());
        assertThat(Files.readString(DEPLOY.resolve("prometheus/rules/shop.rules.yml")))
                .as("regenerate deploy/prometheus/rules (see deploy/slo/shop.yaml)")
                .isEqualTo(SloRuleGenerator.rules(slos));
        assertThat(Files.readString(DEPLOY.resolve("prometheus/rules/shop.rules.test.yml")))
                .isEqualTo(SloRuleTestGenerator.generate(slos, "shop.rules.yml"));
        assertThat(Files.readString(DEPLOY.resolve("alertmanager/alertmanager.yml")))
                .isEqualTo(SloAlertmanagerConfig.builder().build().render());
    }

    @Test
    void deployConfigsPassTheRealTools() throws Exception {
        ExternalTools.Result prom = ExternalTools.run(
                DEPLOY.resolve("prometheus"), 60, "promtool", "check", "config", "--lint-fatal", "prometheus.yml");
        assertThat(prom.exitCode()).as(prom.output()).isZero();
        assertThat(prom.output()).contains("SUCCESS: 80 rules found");
        ExternalTools.Result am =
                ExternalTools.run(DEPLOY.resolve("alertmanager"), 60, "amtool", "check-config", "alertmanager.yml");
        assertThat(am.exitCode()).as(am.output()).isZero();
    }
}
