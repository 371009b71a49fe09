package io.marty.observability.loganalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

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
    void badRulesFailWithTheRuleKeyAndValue() {
        assertThatThrownBy(() -> RuleSet.parse(
                        "rules:\n  - {name: r1, type: threshold, match: {level: [ERROR]}," + " treshold: 3}"))
                .hasMessageContaining("rule 'r1'")
                .hasMessageContaining("unknown key(s) [treshold]");
        assertThatThrownBy(() -> RuleSet.parse(
                        "rules:\n  - {name: r2, type: threshold, match: {level: [ERROR]}," + " window: 5 minutes}"))
                .hasMessageContaining("rule 'r2'")
                .hasMessageContaining("window")
                .hasMessageContaining("5 minutes");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r3, type: magic}"))
                .hasMessageContaining("rule 'r3'")
                .hasMessageContaining("unknown type 'magic'");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r4, type: threshold}"))
                .hasMessageContaining("needs a 'match'");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r5, type: threshold, match: {fields.x: '>= abc'}}"))
                .hasMessageContaining("rule 'r5'")
                .hasMessageContaining(">= abc");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r6, type: slow_requests, percentile: 100}"))
                .hasMessageContaining("percentile");
        assertThatThrownBy(() ->
                        RuleSet.parse("rules:\n  - {name: d, type: new_template}\n  - {name: d, type: new_template}"))
                .hasMessageContaining("duplicate rule name 'd'");
        assertThatThrownBy(() -> RuleSet.parse("rules: [a, b")).hasMessageContaining("invalid YAML");
        assertThatThrownBy(() -> RuleSet.parse("rulez: []")).hasMessageContaining("unknown top-level key(s) [rulez]");
        assertThatThrownBy(() -> RuleSet.parse("rules:\n  - {name: r7, type: brute_force, severity: loud}"))
                .hasMessageContaining("rule 'r7'")
                .hasMessageContaining("'loud'");
    }
}
