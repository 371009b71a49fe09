package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloLoaderTest {
    /** An OpenSLO error-rate SLO of service api, without alert policies. */
    private static final String OPENSLO_API = """
            apiVersion: openslo/v1
            kind: SLO
            metadata: {name: api}
            spec:
              service: api
              timeWindow: [{duration: 28d, isRolling: true}]
              objectives: [{target: 0.99}]
              indicator:
                metadata: {name: x}
                spec:
                  ratioMetric:
                    counter: true
                    total: {metricSource: {type: marty, spec: {sli: error_rate}}}
            """;

    @Test
    void nativeStringFormsCoverTheCommonCases() {
        List<Slo> slos = SloLoader.parse("""
                service: checkout
                slos:
                  - availability 99.9% over 30d
                  - latency p95 < 500ms over 7d
                  - "success: 99% over 7d"
                  - latency < 300ms for 99.5% over 28d on service payments
                """, "checkout.yaml");
        assertThat(slos)
                .extracting(Slo::id)
                .containsExactly(
                        "checkout/availability", "checkout/latency", "checkout/success-rate", "payments/latency");
        Slo lat = slos.get(1);
        assertThat(lat.sli().type()).isEqualTo(SliType.LATENCY);
        assertThat(lat.sli().latencyThresholdSeconds()).isEqualTo(0.5);
        assertThat(lat.objective()).isEqualTo(0.95);
        assertThat(lat.window().length()).isEqualTo(Duration.ofDays(7));
        assertThat(slos.get(2).sli().type()).isEqualTo(SliType.ERROR_RATE);
        assertThat(slos.get(3).objective()).isEqualTo(0.995);
        assertThat(slos.get(3).window().length()).isEqualTo(Duration.ofDays(28));
        assertThat(slos.get(0).errorBudget()).isEqualTo(0.001);
    }

    @Test
    void nativeLongFormAndFilters() {
        Slo s = SloLoader.parse("""
                        service: search
                        runbook: https://rb/search
                        labels: {team: search}
                        slos:
                          - name: grpc-availability
                            sli: availability
                            target: 0.995
                            window: 7d
                            protocol: grpc
                            route: /search.Search/Find
                            priority: critical
                            alerting: {dashboard: https://grafana/d/x}
                        """, "s.yaml").get(0);
        assertThat(s.objective()).isEqualTo(0.995);
        assertThat(s.priority()).isEqualTo(SloPriority.CRITICAL);
        assertThat(s.sli().protocol()).isEqualTo("grpc");
        assertThat(s.sli().route()).isEqualTo("/search.Search/Find");
        assertThat(s.labels()).containsEntry("team", "search");
        assertThat(s.alertPolicy().runbookUrl()).isEqualTo("https://rb/search");
        assertThat(s.alertPolicy().dashboardUrl()).isEqualTo("https://grafana/d/x");
    }

    @Test
    void openSloDocumentsLoad() throws Exception {
        List<Slo> slos = GeneratedRulesToolTest.load("checkout-openslo.yaml");
        assertThat(slos)
                .extracting(Slo::id)
                .containsExactly("checkout/availability", "checkout/latency", "checkout/payment-jobs");
        assertThat(slos.get(0).priority()).isEqualTo(SloPriority.CRITICAL);
        assertThat(slos.get(1).sli().latencyThresholdSeconds()).isEqualTo(0.1);
        assertThat(slos.get(1).sli().route()).isEqualTo("/checkout");
        assertThat(slos.get(1).objective()).isEqualTo(0.9);
        assertThat(slos.get(2).sli().type()).isEqualTo(SliType.CUSTOM_RATIO);
        assertThat(slos.get(2).sli().badQuery()).isEqualTo("checkout_payment_jobs_failed_total{queue=\"payments\"}");
    }

    @Test
    void openSloAlertPolicyBecomesTiers() {
        Slo s = SloLoader.parse(OPENSLO_API + """
                          alertPolicies:
                            - kind: AlertPolicy
                              spec:
                                conditions:
                                  - kind: AlertCondition
                                    spec:
                                      severity: page
                                      condition: {kind: burnrate, op: gte, threshold: 13.44, lookbackWindow: 1h, alertAfter: 5m}
                        """, "o.yaml").get(0);
        assertThat(s.sli().type()).isEqualTo(SliType.ERROR_RATE);
        assertThat(s.alertPolicy().tiers())
                .containsExactly(new BurnRateTier("page", Duration.ofHours(1), Duration.ofMinutes(5), 13.44));
    }

    @Test
    void targetAbove100PercentNamesFileLineAndField() {
        assertThatThrownBy(() -> SloLoader.parse("""
                        service: checkout
                        slos:
                          - name: avail
                            sli: availability
                            target: 100.5%
                            window: 30d
                        """, "checkout.yaml"))
                .isInstanceOf(SloSpecException.class)
                .hasMessage("checkout.yaml:5:13: slos[0].target: target 100.5% must be above 0% and below 100%");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availability 100.5% over 30d\n", "a.yaml"))
                .hasMessage("a.yaml:3:5: slos[0]: target 100.5% must be above 0% and below 100%");
    }

    @Test
    void badWindowIsReportedWithItsValue() {
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availability 99.9% over 30x\n", "a.yaml"))
                .isInstanceOf(SloSpecException.class)
                .hasMessage(
                        "a.yaml:3:5: slos[0]: '30x': unknown unit 'x' (use ms, s, m, h, d, w or ISO-8601 like PT5M)");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - sli: availability\n    target: 99%\n    window: 30x\n", "a.yaml"))
                .hasMessage("a.yaml:5:13: slos[0].window: '30x': unknown unit 'x'"
                        + " (use ms, s, m, h, d, w or ISO-8601 like PT5M)");
    }

    @Test
    void missingServiceIsAnError() {
        assertThatThrownBy(() -> SloLoader.parse("slos:\n  - availability 99.9% over 30d\n", "noservice.yaml"))
                .isInstanceOf(SloSpecException.class)
                .hasMessage("noservice.yaml:1:1: service: missing service name (every SLO belongs to one service)");
        assertThatThrownBy(() -> SloLoader.parse("""
                        apiVersion: openslo/v1
                        kind: SLO
                        metadata: {name: x}
                        spec:
                          timeWindow: [{duration: 30d}]
                          objectives: [{target: 0.9}]
                        """, "o.yaml"))
                .hasMessage("o.yaml:5:3: spec.service: missing service name (every SLO belongs to one service)");
    }

    @Test
    void otherMistakesNameTheField() {
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availabilty 99% over 7d\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml:3:5: slos[0]: unknown SLI type 'availabilty'");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - name: x\n    slo: availability 99% over 7d\n    priorty: high\n",
                        "a.yaml"))
                .hasMessageStartingWith(
                        "a.yaml:5:5: slos[0].priorty: unknown key (did you mean 'priority'?); allowed: alerting,");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - availability 99% over 7d\n  - availability 99.9% over 30d\n", "a.yaml"))
                .hasMessage("a.yaml:4:5: slos[1]: duplicate SLO 'a/availability' (first at line 3)");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos: [\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml:3:1: invalid YAML: ");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - latency 99% over 7d\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml:3:5: slos[0]: latency SLI needs a positive threshold");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availability lots over 7d\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml:3:5: slos[0]: cannot read 'availability lots over 7d'");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - sli: custom_ratio\n    target: 99%\n    window: 7d\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml:3:5: slos[0].total: custom_ratio SLI needs a total query");
    }

    @Test
    void thresholdOffBucketBoundaryWarnsAndNamesTheBuckets() {
        Slo s = SloLoader.parse("service: a\nslos:\n  - latency < 300ms for 99% over 7d\n", "a.yaml")
                .get(0);
        assertThat(s.warnings()).hasSize(1);
        assertThat(s.warnings().get(0).toString())
                .contains("latency threshold 0.3s is not a bucket bound of mmf_request_duration_seconds")
                .contains("[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]")
                .contains("add the bucket 0.3")
                .contains("nearest bound 0.25s or 0.5s");
        Slo ok = SloLoader.parse("service: a\nslos:\n  - latency < 250ms for 99% over 7d\n", "a.yaml")
                .get(0);
        assertThat(ok.warnings()).isEmpty();
    }

    @Test
    void windowsAndAlertTiersUseTheSpecDurationGrammar() {
        List<Slo> slos = SloLoader.parse("""
                service: a
                slos:
                  - availability 99.9% over 4w
                  - sli: availability
                    name: iso
                    target: 99%
                    window: P28D
                    alerting:
                      tiers:
                        - {severity: page, long: PT1H, short: 300s, factor: 14.4}
                        - {severity: ticket, long: 1d12h, factor: 1}
                """, "a.yaml");
        assertThat(slos.get(0).window().length()).isEqualTo(Duration.ofDays(28));
        assertThat(slos.get(1).window().length()).isEqualTo(Duration.ofDays(28));
        assertThat(slos.get(1).alertPolicy().tiers())
                .containsExactly(
                        new BurnRateTier("page", Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
                        new BurnRateTier("ticket", Duration.ofHours(36), Duration.ofHours(3), 1));
    }

    @Test
    void alertTierAndOpenSloMistakesAreLocated() {
        assertThatThrownBy(() -> SloLoader.parse("""
                        service: a
                        slos:
                          - sli: availability
                            target: 99%
                            window: 7d
                            alerting:
                              tiers:
                                - {severity: page, long: 1h, short: 2h, factor: 14.4}
                        """, "t.yaml"))
                .isInstanceOf(SloSpecException.class)
                .isInstanceOf(io.marty.observability.spec.SpecException.class)
                .hasMessage("t.yaml:8:45: slos[0].alerting.tiers[0].short: short window 2h must be shorter than the"
                        + " long window 1h");
        assertThatThrownBy(() -> SloLoader.parse(OPENSLO_API + """
                          alertPolicies:
                            - conditions:
                                - severity: page
                                  condition: {kind: burnrate, threshold: 14.4, lookbackWindow: 1 hour}
                        """, "o.yaml"))
                .isInstanceOf(SloSpecException.class)
                .hasMessage("o.yaml:17:72: spec.alertPolicies[0].conditions[0].condition.lookbackWindow:"
                        + " '1 hour': unknown unit 'hour' (use ms, s, m, h, d, w or ISO-8601 like PT5M)")
                .satisfies(e -> {
                    SloSpecException s = (SloSpecException) e;
                    assertThat(s.source()).isEqualTo("o.yaml");
                    assertThat(s.line()).isEqualTo(17);
                    assertThat(s.column()).isEqualTo(72);
                    assertThat(s.field()).isEqualTo("spec.alertPolicies[0].conditions[0].condition.lookbackWindow");
                });
        assertThatThrownBy(() -> SloLoader.parse("""
                        apiVersion: openslo/v1
                        kind: SLO
                        metadata: {name: api}
                        spec:
                          service: api
                          timeWindow: [{duration: 1M, isRolling: false}]
                          objectives: [{target: 1.5}]
                          indicatorRef: nope
                        """, "o.yaml"))
                .hasMessage("o.yaml:7:25: spec.objectives[0].target: target 1.5 must be a ratio above 0 and below 1"
                        + " (e.g. 0.999)");
    }

    @Test
    void duplicatesAcrossFilesNameBothFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path a = java.nio.file.Files.writeString(
                dir.resolve("a.yaml"), "service: s\nslos:\n  - availability 99% over 7d\n");
        java.nio.file.Path b = java.nio.file.Files.writeString(
                dir.resolve("b.yaml"), "service: s\nslos:\n  - availability 99.9% over 30d\n");
        assertThatThrownBy(() -> SloLoader.load(List.of(a, b)))
                .isInstanceOf(SloSpecException.class)
                .hasMessage(b + ": duplicate SLO 's/availability' (also in " + a + ")");
        assertThatThrownBy(() -> SloLoader.load(dir.resolve("missing.yaml")))
                .isInstanceOf(SloSpecException.class)
                .hasMessageStartingWith(dir.resolve("missing.yaml") + ": cannot read: ");
    }
}
