package io.marty.observability.business;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.AlertmanagerAlertSink;
import io.marty.observability.core.alert.Severity;
import io.marty.observability.testing.LocalAlertmanager;
import io.marty.observability.testing.ManualClock;
import io.marty.observability.testing.MartyTesting;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process evaluator on a manual clock: thresholds, cooldown, inhibition, absence, anomaly, Alertmanager. */
class BusinessAlertingTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T00:00:00Z"));
    private MartyTesting marty;
    private BusinessMetrics business;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        marty = MartyTesting.start("shop");
        business = BusinessMetrics.builder(marty.observability().metrics())
                .clock(clock)
                .retention(Duration.ofDays(9))
                .build();
    }

    @AfterEach
    void stop() {
        marty.close();
    }

    private static BusinessAlertRules rules(String body) {
        return BusinessAlertRules.parse("service: shop\nfunnels: {checkout: [cart, confirmed]}\n" + body, "test.yaml");
    }

    @Test
    void thresholdFiresOnceThenCoolsDownAndAbsenceFiresWhenOrdersStop() {
        BusinessAlertRules rules = rules("""
                rules:
                  - {name: failures_high, type: threshold, series: orders_failed, window: 5m, op: ">", value: 0.01, cooldown: 30m}
                  - {name: no_orders, type: absence, series: orders, window: 10m, severity: critical}
                """);
        List<Alert> seen = new ArrayList<>();
        try (BusinessAlerting alerting =
                BusinessAlerting.builder(rules, business).addListener(seen::add).build()) {
            for (int minute = 0; minute < 40; minute++) {
                for (int i = 0; i < 10; i++) {
                    business.order(minute < 5 || i > 0, Money.of("10", "USD"), Duration.ofMillis(100), "web");
                }
                clock.advance(Duration.ofMinutes(1));
                alerting.evaluate();
            }
            // failures 1/min = 0.0167/s > 0.01 from minute 5 on: fires once, then cooldown 30m, then again
            assertThat(seen).extracting(Alert::rule).containsExactly("failures_high", "failures_high");
            assertThat(seen.get(1).firedAtMillis() - seen.get(0).firedAtMillis())
                    .isEqualTo(Duration.ofMinutes(30).toMillis());
            assertThat(seen.get(0).type()).isEqualTo("business_threshold");
            assertThat(seen.get(0).explanation())
                    .contains("orders failed per second over 5m is")
                    .contains("> threshold 0.01");
            assertThat(alerting.suppressed()).isPositive();

            seen.clear();
            for (int minute = 0; minute < 12; minute++) { // no orders at all
                clock.advance(Duration.ofMinutes(1));
                alerting.evaluate();
            }
            assertThat(seen).extracting(Alert::rule).contains("no_orders");
            Alert none = seen.stream()
                    .filter(a -> a.rule().equals("no_orders"))
                    .findFirst()
                    .orElseThrow();
            assertThat(none.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(none.explanation()).isEqualTo("no orders per second recorded in the last 10m");
        }
    }

    @Test
    void anActiveRuleInhibitsTheRulesItNames() {
        BusinessAlertRules rules = rules("""
                rules:
                  - {name: revenue_collapse, type: threshold, series: revenue, window: 5m, op: "<", value: 1, inhibits: [revenue_low]}
                  - {name: revenue_low, type: threshold, series: revenue, window: 5m, op: "<", value: 100}
                """);
        List<Alert> seen = new ArrayList<>();
        try (BusinessAlerting alerting =
                BusinessAlerting.builder(rules, business).addListener(seen::add).build()) {
            // 50 USD per minute = 5000 minor units / 60 s = 83/s: below 100, above 1 -> only revenue_low
            for (int minute = 0; minute < 6; minute++) {
                business.revenue(Money.of("50", "USD"), "web");
                clock.advance(Duration.ofMinutes(1));
                alerting.evaluate();
            }
            assertThat(seen).extracting(Alert::rule).containsExactly("revenue_low");
            // now nothing: both hold, the collapse inhibits the low-revenue rule for its cooldown
            seen.clear();
            clock.advance(Duration.ofMinutes(20));
            for (int minute = 0; minute < 10; minute++) {
                clock.advance(Duration.ofMinutes(1));
                alerting.evaluate();
            }
            assertThat(seen).extracting(Alert::rule).containsExactly("revenue_collapse");
        }
    }

    @Test
    void aFiftyPercentRevenueDropIsCaughtByTheAnomalyRuleWithinThreeBuckets() {
        BusinessAlertRules rules = rules("""
                anomaly: {bucket: 5m, season: 1d, seasons: 7, min_seasons: 2, sensitivity: 3.5, min_relative_change: 0.3, consecutive: 2}
                rules:
                  - {name: revenue_anomaly, type: anomaly, series: revenue, severity: critical}
                """);
        SeasonalTraffic traffic = new SeasonalTraffic(7L, 100);
        List<Alert> seen = new ArrayList<>();
        try (BusinessAlerting alerting =
                BusinessAlerting.builder(rules, business).addListener(seen::add).build()) {
            long dropAt = clock.millis() + Duration.ofDays(8).plusHours(14).toMillis();
            long end = dropAt + Duration.ofHours(1).toMillis();
            while (clock.millis() < end) {
                long t = clock.millis();
                double factor = t >= dropAt ? 0.5 : 1.0;
                // one bucket of traffic as 5 one-minute parts, in whole cents
                double revenue = traffic.revenue(t, factor);
                for (int i = 0; i < 5; i++) {
                    business.revenue(Money.ofMinor(Math.round(revenue * 100 / 5), "USD"), "web");
                    clock.advance(Duration.ofMinutes(1));
                }
                alerting.evaluate();
                if (!seen.isEmpty() && seen.get(0).firedAtMillis() < dropAt) {
                    break; // a false positive: fail below with the alert
                }
            }
            assertThat(marty.instrumentationErrors("business")).isZero();
            assertThat(seen)
                    .as("alerts %s, last anomalies %s", seen, alerting.lastAnomalies())
                    .isNotEmpty();
            Alert a = seen.get(0);
            assertThat(a.firedAtMillis()).as(a.explanation()).isGreaterThanOrEqualTo(dropAt);
            assertThat(a.firedAtMillis() - dropAt)
                    .isLessThanOrEqualTo(Duration.ofMinutes(15).toMillis());
            assertThat(a.type()).isEqualTo("business_anomaly");
            assertThat(a.explanation()).contains("drop:").contains("seasonal median");
        }
    }

    @Test
    void alertsReachARealAlertmanager() throws Exception {
        ManualClock wall = new ManualClock(Instant.now());
        BusinessMetrics live = BusinessMetrics.builder(marty.observability().metrics())
                .clock(wall)
                .build();
        BusinessAlertRules rules = rules("""
                rules:
                  - {name: conversion_low, type: threshold, series: conversion.checkout, window: 5m, op: "<", value: 0.3, severity: critical}
                """);
        try (LocalAlertmanager am = LocalAlertmanager.start(dir)) {
            AlertmanagerAlertSink sink = AlertmanagerAlertSink.builder(am.baseUri())
                    .source(BusinessAlertRules.SOURCE)
                    .build();
            try (BusinessAlerting alerting =
                    BusinessAlerting.builder(rules, live).addSink(sink).build()) {
                BusinessMetrics.Funnel f = live.funnel("checkout", "cart", "confirmed");
                for (int i = 0; i < 10; i++) {
                    f.step("cart");
                }
                f.step("confirmed");
                assertThat(alerting.evaluate()).hasSize(1);
                assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
                assertThat(sink.failed()).as(am.log()).isZero();
                assertThat(sink.delivered()).isEqualTo(1);
            }
            JsonNode alerts = new ObjectMapper().readTree(am.alertsJson());
            assertThat(alerts).hasSize(1);
            JsonNode labels = alerts.get(0).get("labels");
            assertThat(labels.get("alertname").asText()).isEqualTo("conversion_low");
            assertThat(labels.get("severity").asText()).isEqualTo("critical");
            assertThat(labels.get("service").asText()).isEqualTo("shop");
            assertThat(labels.get("rule_type").asText()).isEqualTo("business_threshold");
            assertThat(labels.get("source").asText()).isEqualTo("marty-business");
            assertThat(alerts.get(0).get("annotations").get("description").asText())
                    .contains("conversion of funnel 'checkout' over 5m is 0.1000, < threshold 0.3000");
            assertThat(alerts.get(0).get("status").get("state").asText()).isEqualTo("active");
        }
    }
}
