package io.marty.observability.loganalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marty.observability.core.alert.Severity;
import io.marty.observability.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetTest {

    @Test
    void defaultsHoldTheSeedsFiveRulesWithAFiveMinuteCooldown() {
        RuleSet rules = RuleSet.defaults();
        assertThat(rules.names())
                .startsWith(
                        "high_error_rate",
                        "critical_errors",
                        "authentication_failures",
                        "high_response_time",
                        "service_unavailable")
                .contains(
                        "error_spike_service",
                        "error_spike_template",
                        "new_error_template",
                        "brute_force_login",
                        "slow_requests",
                        "revenue_drop");
        assertThat(rules.rules()).allSatisfy(r -> assertThat(r.cooldown()).isEqualTo(Duration.ofMinutes(5)));
        RuleSpec high = rules.rules().get(0);
        assertThat(high.threshold()).isEqualTo(10);
        assertThat(high.window()).isEqualTo(Duration.ofMinutes(5));
        RuleSpec unavailable = rules.rules().get(4);
        assertThat(unavailable.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(unavailable.window()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void customRulesAreLoadedAndUsed() {
        RuleSet rules = RuleSet.parse("defaults: {cooldown: 1m}\n"
                + "rules:\n"
                + "  - name: payment_declines\n"
                + "    type: threshold\n"
                + "    severity: critical\n"
                + "    match: {category: [business], fields.outcome: [declined]}\n"
                + "    threshold: 2\n"
                + "    window: 30s\n"
                + "    group_by: fields.merchant\n"
                + "  - name: disabled_one\n"
                + "    type: threshold\n"
                + "    enabled: false\n"
                + "    match: {level: [ERROR]}\n");
        assertThat(rules.names()).containsExactly("payment_declines");
        Harness h = new Harness(rules);
        LogEvent declined = LogEvent.builder()
                .category("business")
                .service("pay")
                .field("outcome", "DECLINED")
                .field("merchant", "m-1")
                .build();
        h.feed(declined).advance(Duration.ofSeconds(31)).feed(declined);
        assertThat(h.alerts).isEmpty();
        h.advance(Duration.ofSeconds(29)).feed(declined);
        assertThat(h.alerts).singleElement().satisfies(a -> {
            assertThat(a.groupKey()).containsEntry("merchant", "m-1");
            assertThat(a.cooldown()).isEqualTo(Duration.ofMinutes(1));
        });
    }

    @Test
    void badRulesFailAtTheirLineColumnAndKey() {
        assertThatThrownBy(() -> RuleSet.parse(
                        "rules:\n  - {name: r1, type: threshold, match: {level: [ERROR]}," + " treshold: 3}"))
                .isInstanceOf(SpecException.class)
                .hasMessage("<string>:2:58: rules[0].treshold: unknown key (did you mean 'threshold'?); allowed:"
                        + " cooldown, description, enabled, group_by, match, max_keys, name, severity, threshold,"
                        + " type, window");
        assertThatThrownBy(() -> RuleSet.parse(
                        "rules:\n  - {name: r2, type: threshold, match: {level: [ERROR]}," + " window: 5 minutes}"))
                .hasMessage("<string>:2:66: rules[0].window: '5 minutes': unknown unit 'minutes'"
                        + " (use ms, s, m, h, d, w or ISO-8601 like PT5M)");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r3, type: magic}"))
                .hasMessage("<string>:2:22: rules[0].type: 'magic' is not one of brute_force, business_drop,"
                        + " error_spike, new_template, slow_requests, threshold");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r4, type: threshold}"))
                .hasMessage("<string>:2:5: rules[0]: rule 'r4': type threshold needs a 'match' map");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r5, type: threshold, match: {fields.x: '>= abc'}}"))
                .hasMessage("<string>:2:51: rules[0].match['fields.x']: bad number in '>= abc'");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r6, type: slow_requests, percentile: 100}"))
                .hasMessageStartingWith("<string>:2:5: rules[0]: rule 'r6': needs percentile in (0,100) (got 100.0)");
        assertThatThrownBy(() ->
                        RuleSet.parse("rules:\n  - {name: d, type: new_template}\n  - {name: d, type: new_template}"))
                .hasMessage("<string>:3:12: rules[1].name: duplicate rule name 'd' (first at line 2)");
        assertThatThrownBy(() -> RuleSet.parse("rules: [a, b")).hasMessageStartingWith("<string>:1:13: invalid YAML: ");
        assertThatThrownBy(() -> RuleSet.parse("rulez: []"))
                .hasMessage("<string>:1:1: rulez: unknown key (did you mean 'rules'?); allowed: defaults, rules");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r7, type: brute_force, severity: loud}"))
                .hasMessage("<string>:2:45: rules[0].severity: severity must be info, warning or critical, got 'loud'");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r8, type: new_template, window: 0s}"))
                .hasMessage("<string>:2:44: rules[0].window: '0s': must be positive");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r9, type: new_template, max_keys: lots}"))
                .hasMessage("<string>:2:46: rules[0].max_keys: expected a whole number, got 'lots'");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r10, type: new_template, learning_period: 60}"))
                .hasMessage("<string>:2:54: rules[0].learning_period: '60': missing unit"
                        + " (use ms, s, m, h, d, w or ISO-8601 like PT5M)");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - name: r11\n    type: threshold\n    match: {level: []}\n"))
                .hasMessage("<string>:4:20: rules[0].match.level: must not be an empty list");
    }

    @Test
    void defaultsApplyToEveryRuleAndAreCheckedWhereTheyStand(@TempDir Path dir) throws Exception {
        RuleSet rules = RuleSet.parse("""
                defaults: {cooldown: 0s, window: 1h30m, severity: critical, max_keys: 50}
                rules:
                  - {name: a, type: new_template}
                  - {name: b, type: new_template, window: PT5M, cooldown: 1w}
                """);
        assertThat(rules.rules().get(0).window()).isEqualTo(Duration.ofMinutes(90));
        assertThat(rules.rules().get(0).cooldown()).isEqualTo(Duration.ZERO);
        assertThat(rules.rules().get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(rules.rules().get(0).maxKeys()).isEqualTo(50);
        assertThat(rules.rules().get(1).window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rules.rules().get(1).cooldown()).isEqualTo(Duration.ofDays(7));
        Path file = Files.writeString(dir.resolve("rules.yaml"), """
                defaults:
                  cooldown: 5x
                rules:
                  - {name: a, type: new_template}
                """);
        assertThatThrownBy(() -> RuleSet.load(file))
                .isInstanceOf(SpecException.class)
                .hasMessage(file + ":2:13: defaults.cooldown: '5x': unknown unit 'x'"
                        + " (use ms, s, m, h, d, w or ISO-8601 like PT5M)");
        assertThatThrownBy(() -> RuleSet.parse("defaults: {cooldwn: 1m}\nrules: []\n"))
                .hasMessage("<string>:1:12: defaults.cooldwn: unknown key (did you mean 'cooldown'?); allowed:"
                        + " cooldown, max_keys, severity, window");
    }
}
