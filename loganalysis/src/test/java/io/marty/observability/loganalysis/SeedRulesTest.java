package io.marty.observability.loganalysis;

import static io.marty.observability.loganalysis.Events.critical;
import static io.marty.observability.loganalysis.Events.error;
import static io.marty.observability.loganalysis.Events.info;
import static io.marty.observability.loganalysis.Events.loginFailure;
import static io.marty.observability.loganalysis.Events.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.alert.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The five built-in log rules: fire exactly at the threshold, inside the window, and respect cooldown. */
class SeedRulesTest {
    private static final Duration S20 = Duration.ofSeconds(20);

    @Test
    void highErrorRateFiresOnTheTenthErrorWithinFiveMinutes() {
        Harness h = new Harness();
        h.feed(9, error("checkout", "Payment declined for order 1"), S20);
        assertThat(h.alerts("high_error_rate")).isEmpty();
        h.feed(error("checkout", "Payment declined for order 2"));
        assertThat(h.alerts("high_error_rate")).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.service()).isEqualTo("checkout");
            assertThat(a.groupKey()).containsEntry("service", "checkout");
            assertThat(a.explanation())
                    .contains("10 events")
                    .contains("level in [error]")
                    .contains("service 'checkout'")
                    .contains("threshold 10 within 5m");
            assertThat(a.sample()).containsEntry("message", "Payment declined for order 2");
        });
    }

    @Test
    void highErrorRateIgnoresErrorsSpreadWiderThanTheWindowAndOtherServices() {
        Harness h = new Harness();
        // 40 s apart: any 10 consecutive errors span 6 minutes.
        h.feed(30, error("checkout", "Payment declined"), Duration.ofSeconds(40));
        // 9 errors each in two services at the same time.
        for (int i = 0; i < 9; i++) {
            h.feed(error("a", "boom")).feed(error("b", "boom")).advance(Duration.ofSeconds(1));
        }
        assertThat(h.alerts("high_error_rate")).isEmpty();
        // WARN and INFO are not errors.
        h.feed(20, info("a", "fine"), Duration.ofSeconds(1));
        assertThat(h.alerts("high_error_rate")).isEmpty();
    }

    @Test
    void highErrorRateRespectsTheFiveMinuteCooldown() {
        Harness h = new Harness();
        h.feed(10, error("checkout", "boom"), Duration.ofSeconds(10));
        assertThat(h.alerts("high_error_rate")).hasSize(1);
        // Keeps erroring for 4 minutes: still one alert, the rest suppressed.
        h.feed(24, error("checkout", "boom"), Duration.ofSeconds(10));
        assertThat(h.alerts("high_error_rate")).hasSize(1);
        assertThat(h.analyzer.summary().rules().get("high_error_rate").suppressed())
                .isEqualTo(24);
        // 5 minutes after the first alert the condition still holds: a second alert.
        h.feed(6, error("checkout", "boom"), Duration.ofSeconds(10));
        assertThat(h.alerts("high_error_rate")).hasSize(2);
        assertThat(h.alerts("high_error_rate").get(1).firedAtMillis()
                        - h.alerts("high_error_rate").get(0).firedAtMillis())
                .isGreaterThanOrEqualTo(Duration.ofMinutes(5).toMillis());
    }

    @Test
    void criticalErrorsFireOnOneCriticalWithCooldown() {
        Harness h = new Harness();
        h.feed(50, error("db", "slow query"), Duration.ofSeconds(30));
        assertThat(h.alerts("critical_errors")).isEmpty();
        h.feed(critical("db", "Disk full on /var/lib/db"));
        assertThat(h.alerts("critical_errors")).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.explanation())
                    .contains("level in [critical]")
                    .contains("1 event matching")
                    .contains("within 0s");
        });
        h.advance(Duration.ofMinutes(4)).feed(critical("db", "Disk full on /var/lib/db"));
        assertThat(h.alerts("critical_errors")).hasSize(1);
        h.advance(Duration.ofMinutes(1)).feed(critical("db", "Disk full on /var/lib/db"));
        assertThat(h.alerts("critical_errors")).hasSize(2);
    }

    @Test
    void authenticationFailuresFireOnTheFifthFailure() {
        Harness h = new Harness();
        for (int i = 0; i < 4; i++) {
            h.feed(loginFailure("auth", "user" + i, "10.0.0." + i)).advance(Duration.ofSeconds(30));
        }
        assertThat(h.alerts("authentication_failures")).isEmpty();
        h.feed(loginFailure("auth", "user9", "10.0.0.9"));
        assertThat(h.alerts("authentication_failures"))
                .singleElement()
                .satisfies(a -> assertThat(a.explanation())
                        .contains("fields.security_event|fields.event in [authentication_failure, login_failed]"));
    }

    @Test
    void highResponseTimeNeedsThreeRequestsOfAtLeastFiveSeconds() {
        Harness h = new Harness();
        h.feed(request("api", 5000, 200)).feed(request("api", 4999, 200)).feed(request("api", 6000, 200));
        h.feed(100, request("api", 120, 200), Duration.ofSeconds(1));
        assertThat(h.alerts("high_response_time")).isEmpty();
        h.feed(request("api", 5000, 200));
        assertThat(h.alerts("high_response_time"))
                .singleElement()
                .satisfies(a -> assertThat(a.explanation()).contains("fields.duration_ms >= 5000"));
    }

    @Test
    void serviceUnavailableNeedsFiveServerErrorsWithinTwoMinutes() {
        Harness h = new Harness();
        h.feed(20, request("api", 10, 404), Duration.ofSeconds(1));
        h.feed(5, request("api", 10, 503), Duration.ofSeconds(40)); // spread over 160 s
        assertThat(h.alerts("service_unavailable")).isEmpty();
        h.advance(Duration.ofMinutes(3));
        h.feed(4, request("api", 10, 502), Duration.ofSeconds(20));
        assertThat(h.alerts("service_unavailable")).isEmpty();
        h.feed(request("api", 10, 500));
        assertThat(h.alerts("service_unavailable")).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.explanation())
                    .contains("fields.http_status|fields.status in 500..599")
                    .contains("within 2m");
        });
    }

    @Test
    void seedRulesAlsoReadTheLoggingModulesFieldNames() {
        Harness h = new Harness();
        LogEvent loginFailed = LogEvent.builder()
                .level(LogLevel.WARN)
                .service("auth")
                .category("security")
                .message("login_failed")
                .field("event", "login_failed")
                .field("severity", "high")
                .build();
        LogEvent access503 = LogEvent.builder()
                .level(LogLevel.WARN)
                .service("api")
                .category("access")
                .message("GET /orders/{id} 503")
                .field("method", "GET")
                .field("route", "/orders/{id}")
                .field("status", 503)
                .field("duration_ms", 12.0)
                .build();
        h.feed(5, loginFailed, Duration.ofSeconds(5)).feed(5, access503, Duration.ofSeconds(5));
        assertThat(h.alerts("authentication_failures")).hasSize(1);
        assertThat(h.alerts("service_unavailable")).hasSize(1);
    }
}
