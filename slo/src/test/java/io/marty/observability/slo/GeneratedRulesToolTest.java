package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real {@code promtool check rules}, {@code promtool test rules} and {@code amtool} on generated
 * output for the default SLOs and for varied spec files (targets 95-99.95 %, windows 7d/28d/30d/calendar
 * month, availability, success rate, latency, custom ratio, HTTP and gRPC).
 */
class GeneratedRulesToolTest {
    @TempDir
    Path dir;

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("defaults", DefaultSlos.forService("orders")),
                Arguments.of("payments", load("payments.yaml")),
                Arguments.of("search", load("search.yaml")),
                Arguments.of("checkout-openslo", load("checkout-openslo.yaml")),
                Arguments.of("calendar", load("calendar.yaml")));
    }

    static List<Slo> load(String name) {
        try {
            return SloLoader.load(Path.of(
                    GeneratedRulesToolTest.class.getResource("/specs/" + name).toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void promtoolChecksAndUnitTestsPassForEverySpec() throws Exception {
        // The promtool runs are independent: start them all, then wait (bounded), to use both cores.
        java.util.Map<String, java.util.concurrent.Future<ExternalTools.Result>> tests =
                new java.util.LinkedHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (Arguments a : specs().toList()) {
                String name = (String) a.get()[0];
                @SuppressWarnings("unchecked")
                List<Slo> slos = (List<Slo>) a.get()[1];
                Path rules = dir.resolve(name + ".rules.yml");
                Files.writeString(rules, SloRuleGenerator.rules(slos));
                Files.writeString(
                        dir.resolve(name + ".rules.test.yml"),
                        SloRuleTestGenerator.generate(slos, rules.getFileName().toString()));
                ExternalTools.Result check =
                        ExternalTools.run(dir, 60, "promtool", "check", "rules", "--lint-fatal", rules.toString());
                assertThat(check.exitCode()).as(name + ": " + check.output()).isZero();
                assertThat(check.output()).contains("SUCCESS");
                tests.put(
                        name,
                        pool.submit(() ->
                                ExternalTools.run(dir, 300, "promtool", "test", "rules", name + ".rules.test.yml")));
            }
            for (var e : tests.entrySet()) {
                ExternalTools.Result test = e.getValue().get(330, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(test.exitCode())
                        .as(e.getKey() + ": " + test.output())
                        .isZero();
                assertThat(test.output()).contains("SUCCESS");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void generatedScenariosProveTheWorkbookPromises(String name, List<Slo> slos) {
        for (Slo slo : slos) {
            List<SloRuleTestGenerator.Scenario> scenarios = SloRuleTestGenerator.scenarios(slo, slos);
            assertThat(scenarios).as(slo.id()).isNotEmpty();
            assertThat(scenarios)
                    .as(slo.id() + " has a page scenario")
                    .anyMatch(sc -> sc.name().startsWith("page"));
            assertThat(scenarios)
                    .as(slo.id() + " has a ticket scenario")
                    .anyMatch(sc -> sc.name().startsWith("ticket"));
            for (SloRuleTestGenerator.Scenario sc : scenarios) {
                List<SloRuleTestGenerator.Eval> ev = sc.evals();
                SloRuleTestGenerator.Eval last = ev.get(ev.size() - 1);
                if (sc.name().startsWith("page")) {
                    BurnRateTier first = slo.alertPolicy().tiers("page").get(0);
                    int baseline = ev.get(0).minute();
                    assertThat(ev.get(0).page())
                            .as(sc.name() + " clean baseline")
                            .isFalse();
                    assertThat(ev.get(1).page())
                            .as(sc.name() + " a minute before detection")
                            .isFalse();
                    assertThat(last.page()).as(sc.name() + " at detection").isTrue();
                    // fires within the tier's long window after the burn starts
                    assertThat(last.minute() - baseline)
                            .isLessThanOrEqualTo((int) first.longWindow().toMinutes());
                } else if (sc.name().startsWith("ticket")) {
                    assertThat(ev)
                            .as(sc.name())
                            .allSatisfy(e -> assertThat(e.page()).isFalse());
                    assertThat(last.ticket()).as(sc.name()).isTrue();
                } else {
                    assertThat(ev).as(sc.name()).allSatisfy(e -> {
                        assertThat(e.page()).isFalse();
                        assertThat(e.ticket()).isFalse();
                    });
                }
            }
        }
    }

    @Test
    void alertmanagerConfigPassesAmtoolAndRoutesBySeverity() throws Exception {
        Path am = dir.resolve("alertmanager.yml");
        SloAlertmanagerConfig cfg = SloAlertmanagerConfig.builder()
                .pageWebhook("https://pager.example.com/hook")
                .ticketWebhook("https://tickets.example.com/hook")
                .build();
        Files.writeString(am, cfg.render());
        ExternalTools.Result check = ExternalTools.run(dir, 60, "amtool", "check-config", am.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output())
                .contains("SUCCESS")
                .contains("1 inhibit rules")
                .contains("3 receivers");

        assertRoutedTo(
                am,
                "slo-page",
                "alertname=" + SloRuleGenerator.ALERT_NAME,
                "severity=page",
                "service=orders",
                "slo=availability");
        assertRoutedTo(
                am,
                "slo-ticket",
                "alertname=" + SloRuleGenerator.ALERT_NAME,
                "severity=ticket",
                "service=orders",
                "slo=availability");
        assertRoutedTo(am, "default", "alertname=SomethingElse", "severity=page");
    }

    /** {@code amtool config routes test}: an alert with {@code labels} goes to {@code receiver} only. */
    private void assertRoutedTo(Path am, String receiver, String... labels) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of("amtool", "config", "routes", "test", "--config.file=" + am, "--verify.receivers=" + receiver));
        cmd.addAll(List.of(labels));
        ExternalTools.Result r = ExternalTools.run(dir, 60, cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void brokenRulesAreRejectedByPromtool() throws Exception {
        // guards the guard: a generated file with a damaged expression must fail the same check
        Path rules = dir.resolve("broken.rules.yml");
        Files.writeString(
                rules,
                SloRuleGenerator.rules(DefaultSlos.forService("orders")).replaceFirst("sum\\(rate\\(", "sum(rate(("));
        ExternalTools.Result check = ExternalTools.run(dir, 60, "promtool", "check", "rules", rules.toString());
        assertThat(check.exitCode()).isNotZero();
    }
}
