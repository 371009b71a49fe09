package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloLoaderTest {
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
        Slo s = SloLoader.parse("""
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
                .hasMessage("checkout.yaml:5: field 'target': target 100.5% must be above 0% and below 100%");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availability 100.5% over 30d\n", "a.yaml"))
                .hasMessageContaining("a.yaml:3")
                .hasMessageContaining("target 100.5% must be above 0% and below 100%");
    }

    @Test
    void badWindowIsReportedWithItsValue() {
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availability 99.9% over 30x\n", "a.yaml"))
                .isInstanceOf(SloSpecException.class)
                .hasMessageStartingWith("a.yaml:3: field 'window': invalid duration '30x'");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - sli: availability\n    target: 99%\n    window: 30x\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml:5: field 'window': invalid duration '30x'");
    }

    @Test
    void missingServiceIsAnError() {
        assertThatThrownBy(() -> SloLoader.parse("slos:\n  - availability 99.9% over 30d\n", "noservice.yaml"))
                .isInstanceOf(SloSpecException.class)
                .hasMessage(
                        "noservice.yaml:2: field 'service': missing service name (every SLO belongs to one service)");
        assertThatThrownBy(() -> SloLoader.parse("""
                        apiVersion: openslo/v1
                        kind: SLO
                        metadata: {name: x}
                        spec:
                          timeWindow: [{duration: 30d}]
                          objectives: [{target: 0.9}]
                        """, "o.yaml"))
                .hasMessage("o.yaml:5: field 'spec.service': missing service name (every SLO belongs to one service)");
    }

    @Test
    void otherMistakesNameTheField() {
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availabilty 99% over 7d\n", "a.yaml"))
                .hasMessageContaining("a.yaml:3: field 'sli': unknown SLI type 'availabilty'");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - name: x\n    slo: availability 99% over 7d\n    priorty: high\n",
                        "a.yaml"))
                .hasMessageStartingWith("a.yaml:5: field 'priorty': unknown field in an SLO");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - availability 99% over 7d\n  - availability 99.9% over 30d\n", "a.yaml"))
                .hasMessageContaining("duplicate SLO 'a/availability'");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos: [\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml:")
                .hasMessageContaining("invalid YAML");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - latency 99% over 7d\n", "a.yaml"))
                .hasMessageContaining("field 'threshold': latency SLI needs a positive threshold");
        assertThatThrownBy(() -> SloLoader.parse("service: a\nslos:\n  - availability lots over 7d\n", "a.yaml"))
                .hasMessageContaining("a.yaml:3: field 'slo': cannot read 'availability lots over 7d'");
        assertThatThrownBy(() -> SloLoader.parse(
                        "service: a\nslos:\n  - sli: custom_ratio\n    target: 99%\n    window: 7d\n", "a.yaml"))
                .hasMessageContaining("field 'total': custom_ratio SLI needs a total query");
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
}
