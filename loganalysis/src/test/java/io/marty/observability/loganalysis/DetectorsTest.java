package io.marty.observability.loganalysis;

import static io.marty.observability.loganalysis.Events.error;
import static io.marty.observability.loganalysis.Events.info;
import static io.marty.observability.loganalysis.Events.loginFailure;
import static io.marty.observability.loganalysis.Events.loginSuccess;
import static io.marty.observability.loganalysis.Events.request;
import static io.marty.observability.loganalysis.Events.revenue;
import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.alert.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The detectors beyond the threshold rules: spikes, new templates, brute force, slow requests, business drops. */
class DetectorsTest {

    /** 2 errors per 5 minutes for 35 minutes, with info traffic. */
    private static Harness withErrorBaseline(String service) {
        Harness h = new Harness();
        for (int i = 0; i < 35 * 6; i++) { // one step per 10 s
            h.feed(info(service, "Request handled in " + i + " ms"));
            if (i % 15 == 0) {
                h.feed(error(service, "Timeout calling inventory after 3000 ms"));
            }
            h.advance(Duration.ofSeconds(10));
        }
        return h;
    }

    @Test
    void errorSpikePerServiceFiresAgainstTheBaselineOnly() {
        Harness h = withErrorBaseline("orders");
        assertThat(h.alerts("error_spike_service")).isEmpty();
        // 11 errors within 2 minutes: above the minimum of 10 and 3x the baseline of 2 per 5m.
        for (int i = 0; i < 11; i++) {
            h.feed(error("orders", "Timeout calling inventory after 3000 ms")).advance(Duration.ofSeconds(10));
        }
        assertThat(h.alerts("error_spike_service")).singleElement().satisfies(a -> {
            assertThat(a.groupKey()).containsEntry("service", "orders");
            assertThat(a.explanation()).contains("from service 'orders'").contains("baseline of 2 per 5m");
            assertThat(a.value()).isGreaterThanOrEqualTo(10);
        });
    }

    @Test
    void errorSpikeNeedsHistoryAndDoesNotFireOnAHighSteadyRate() {
        // Steady 12 errors per 5 minutes for an hour: high, but no spike.
        Harness h = new Harness();
        for (int i = 0; i < 60 * 12 / 5; i++) {
            h.feed(error("search", "Index shard unavailable")).advance(Duration.ofSeconds(25));
        }
        assertThat(h.alerts("error_spike_service")).isEmpty();
        assertThat(h.alerts("error_spike_template")).isEmpty();
        // A burst in the first window of a fresh analyzer has no baseline yet.
        Harness fresh = new Harness();
        fresh.feed(30, error("search", "boom"), Duration.ofSeconds(1));
        assertThat(fresh.alerts("error_spike_service")).isEmpty();
    }

    @Test
    void errorSpikePerTemplateNamesTheTemplate() {
        Harness h = withErrorBaseline("orders");
        for (int i = 0; i < 12; i++) {
            h.feed(error("orders", "Connection reset by peer on socket " + (4000 + i)))
                    .advance(Duration.ofSeconds(5));
        }
        assertThat(h.alerts("error_spike_template"))
                .singleElement()
                .satisfies(
                        a -> assertThat(a.explanation()).contains("template 'Connection reset by peer on socket <*>'"));
    }

    @Test
    void newErrorTemplateFiresOncePerUnseenTemplateAfterLearning() {
        Harness h = new Harness();
        h.feed(error("pay", "Card declined code 51"));
        h.feed(error("pay", "Gateway timeout after 30 s"));
        h.advance(Duration.ofSeconds(61));
        assertThat(h.alerts("new_error_template")).isEmpty(); // learning period
        h.feed(error("pay", "Card declined code 05")); // known template
        h.feed(info("pay", "Cache warmed in 12 ms")); // new, but INFO
        h.feed(error("pay", "Cache warmed in 13 ms")); // seen at INFO before: known
        assertThat(h.alerts("new_error_template")).isEmpty();
        h.feed(error("pay", "Null pointer in refund handler line 88"));
        assertThat(h.alerts("new_error_template")).singleElement().satisfies(a -> {
            assertThat(a.explanation())
                    .contains("never seen before")
                    .contains("'Null pointer in refund handler line <*>'");
            assertThat(a.groupKey()).containsKey("template_id");
        });
        h.advance(Duration.ofMinutes(10)).feed(error("pay", "Null pointer in refund handler line 91"));
        assertThat(h.alerts("new_error_template")).hasSize(1);
    }

    @Test
    void bruteForceOnOneUserFiresOnTheTenthFailureWithinTheWindow() {
        Harness h = new Harness();
        for (int i = 0; i < 9; i++) {
            h.feed(loginFailure("auth", "alice", "203.0.113." + (i % 3))).advance(Duration.ofSeconds(20));
            h.feed(loginSuccess("auth", "bob", "198.51.100.1"));
        }
        assertThat(h.alerts("brute_force_login")).isEmpty();
        h.feed(loginFailure("auth", "alice", "203.0.113.1"));
        assertThat(h.alerts("brute_force_login")).singleElement().satisfies(a -> {
            assertThat(a.groupKey()).containsEntry("user_id", "alice");
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.explanation())
                    .contains("10 failed logins for user 'alice' within 5m")
                    .contains("from 3 source IP(s)");
        });
        // Cooldown: more failures within 5 minutes do not alert again.
        h.feed(5, loginFailure("auth", "alice", "203.0.113.1"), Duration.ofSeconds(10));
        assertThat(h.alerts("brute_force_login")).hasSize(1);
    }

    @Test
    void credentialStuffingFromOneIpAcrossManyUsers() {
        Harness h = new Harness();
        for (int i = 0; i < 19; i++) {
            h.feed(loginFailure("auth", "user" + i, "192.0.2.66")).advance(Duration.ofSeconds(5));
        }
        assertThat(h.alerts("brute_force_login")).isEmpty();
        h.feed(loginFailure("auth", "user19", "192.0.2.66"));
        assertThat(h.alerts("brute_force_login")).singleElement().satisfies(a -> {
            assertThat(a.groupKey())
                    .containsEntry("source_ip", "192.0.2.66")
                    .containsEntry("pattern", "credential_stuffing");
            assertThat(a.explanation())
                    .contains("20 failed logins from IP 192.0.2.66")
                    .contains("20 distinct user(s)");
        });
    }

    @Test
    void bruteForceIgnoresSlowFailuresAndSuccesses() {
        Harness h = new Harness();
        // 30 failures for one user, one per 40 s: never 10 within 5 minutes.
        h.feed(30, loginFailure("auth", "carol", "203.0.113.9"), Duration.ofSeconds(40));
        h.feed(100, loginSuccess("auth", "carol", "203.0.113.9"), Duration.ofSeconds(1));
        assertThat(h.alerts("brute_force_login")).isEmpty();
    }

    @Test
    void slowRequestsFireWhenP95CrossesTheThreshold() {
        Harness h = new Harness();
        h.feed(100, request("api", 200, 200), Duration.ofMillis(500));
        for (int i = 0; i < 5; i++) {
            h.feed(request("api", 1500, 200));
        }
        // 5 of 105 slow: p95 is still 200 ms.
        assertThat(h.alerts("slow_requests")).isEmpty();
        h.feed(request("api", 1500, 200));
        assertThat(h.alerts("slow_requests")).singleElement().satisfies(a -> {
            assertThat(a.value()).isEqualTo(1500);
            assertThat(a.explanation())
                    .contains("p95 latency of service 'api' is 1500 ms over 106 requests")
                    .contains("above the 1000 ms threshold")
                    .contains("6 of 106 requests slower");
        });
    }

    @Test
    void slowRequestsNeedMinimumSamplesAndForgetOldOnes() {
        Harness h = new Harness();
        h.feed(19, request("api", 3000, 200), Duration.ofSeconds(1));
        assertThat(h.alerts("slow_requests")).isEmpty(); // 19 < min_samples 20
        h.advance(Duration.ofMinutes(6));
        h.feed(100, request("api", 100, 200), Duration.ofMillis(100));
        h.feed(request("api", 3000, 200)); // the old slow ones are outside the window
        assertThat(h.alerts("slow_requests")).isEmpty();
    }

    @Test
    void revenueDropFiresWhenRevenueStopsAndNotOnSteadyNoisyRevenue() {
        Harness h = new Harness();
        java.util.Random rnd = new java.util.Random(7);
        // 75 minutes of revenue: one order per 90 s, 10 +/- 3 USD (about 100 USD per 15 minutes).
        for (int i = 0; i < 50; i++) {
            h.feed(revenue("shop", 7 + rnd.nextInt(7)))
                    .advance(Duration.ofSeconds(90))
                    .tick();
        }
        assertThat(h.alerts("revenue_drop")).isEmpty();
        // Revenue stops; other traffic continues.
        int minutes = 0;
        while (h.alerts("revenue_drop").isEmpty() && minutes < 60) {
            h.feed(info("shop", "health check ok"))
                    .advance(Duration.ofMinutes(1))
                    .tick();
            minutes++;
        }
        assertThat(h.alerts("revenue_drop")).singleElement().satisfies(a -> {
            assertThat(a.groupKey()).containsEntry("service", "shop");
            assertThat(a.explanation()).contains("amount for service 'shop'").contains("below the baseline");
        });
        // Half the window without revenue is not yet a 50% drop; at most one window plus a bucket.
        assertThat(minutes).isBetween(8, 19);
    }
}
