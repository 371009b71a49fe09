package io.marty.observability.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.spec.SpecException;
import io.marty.observability.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated business rules through the real promtool: {@code check rules} and the generated {@code test rules}. */
class BusinessRulesToolTest {
    @TempDir
    Path dir;

    static BusinessAlertRules shopRules() throws Exception {
        Path p = Path.of(BusinessRulesToolTest.class
                .getResource("/shop-business-rules.yaml")
                .toURI());
        return BusinessAlertRules.parse(Files.readString(p), p.getFileName().toString());
    }

    @Test
    void generatedRulesPassPromtoolCheckAndTheirGeneratedUnitTests() throws Exception {
        BusinessAlertRules rules = shopRules();
        Path ruleFile = dir.resolve("business.rules.yml");
        Files.writeString(ruleFile, BusinessRuleGenerator.rules(rules));
        String tests = BusinessRuleTestGenerator.generate(rules, "business.rules.yml");
        Files.writeString(dir.resolve("business.rules.test.yml"), tests);

        ExternalTools.Result check =
                ExternalTools.run(dir, 60, "promtool", "check", "rules", "--lint-fatal", ruleFile.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 7 rules found");

        // every rule has a scenario, each checking quiet-before and firing-after
        for (BusinessAlertRules.Rule r : rules.rules()) {
            assertThat(tests).contains("- name: '" + r.name() + "'");
        }
        ExternalTools.Result test = ExternalTools.run(dir, 300, "promtool", "test", "rules", "business.rules.test.yml");
        assertThat(test.exitCode()).as(test.output() + "\n" + tests).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void aBrokenRuleMakesTheGeneratedTestFail() throws Exception {
        // the generated tests can fail: point the rule file at a weaker threshold than the tests expect
        BusinessAlertRules rules = shopRules();
        Files.writeString(
                dir.resolve("business.rules.yml"),
                BusinessRuleGenerator.rules(rules).replace("< 0.2", "< 0.05"));
        Files.writeString(dir.resolve("t.yml"), BusinessRuleTestGenerator.generate(rules, "business.rules.yml"));
        ExternalTools.Result test = ExternalTools.run(dir, 300, "promtool", "test", "rules", "t.yml");
        assertThat(test.exitCode()).as(test.output()).isNotZero();
        assertThat(test.output()).contains("conversion_low");
    }

    @Test
    void specErrorsNameTheFileLineAndKey() {
        assertThatThrownBy(() -> BusinessAlertRules.parse(
                        "service: s\nrules:\n  - {name: r, type: threshold, series: revenue, op: '=<', value: 1}\n",
                        "b.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("b.yaml:3")
                .hasMessageContaining("op");
        assertThatThrownBy(() -> BusinessAlertRules.parse(
                        "service: s\nrules:\n  - {name: r, type: absence, series: order_ids}\n", "b.yaml"))
                .hasMessageContaining("series")
                .hasMessageContaining("unknown series");
        assertThatThrownBy(() -> BusinessAlertRules.parse(
                        "service: s\nrules:\n  - {name: r, type: absence, series: orders, inhibits: [x]}\n", "b.yaml"))
                .hasMessageContaining("inhibits")
                .hasMessageContaining("'x'");
    }
}
