package io.marty.observability.loganalysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Three hours of healthy traffic from three services: the default rules stay silent. */
class NormalTrafficTest {

    @Test
    void defaultRulesDoNotFireOnNormalTraffic() {
        Harness h = new Harness();
        Random rnd = new Random(42);
        String[] services = {"gateway", "orders", "payments"};
        String[] users = {"alice", "bob", "carol", "dave", "erin", "frank"};
        // The error templates a healthy system has are seen early (warm-up within the learning period).
        for (String s : services) {
            h.feed(Events.error(s, "Upstream call failed with status 429 after 2 retries"));
            h.feed(Events.error(s, "Validation failed for field quantity: must be > 0"));
        }
        long events = 0;
        for (int second = 0; second < 3 * 3600; second++) {
            for (String s : services) {
                h.feed(Events.info(s, "Handled request " + rnd.nextInt(100000)));
                double latency = Math.exp(Math.log(120) + 0.5 * rnd.nextGaussian());
                h.feed(Events.request(s, Math.min(latency, 950), rnd.nextInt(1000) == 0 ? 503 : 200));
                events += 2;
                if (rnd.nextInt(200) == 0) { // about 0.3 errors per minute per service
                    h.feed(
                            rnd.nextBoolean()
                                    ? Events.error(
                                            s,
                                            "Upstream call failed with status 429 after " + rnd.nextInt(5) + " retries")
                                    : Events.error(s, "Validation failed for field quantity: must be > 0"));
                }
            }
            if (second % 20 == 0) {
                String u = users[rnd.nextInt(users.length)];
                h.feed(
                        rnd.nextInt(25) == 0
                                ? Events.loginFailure("auth", u, "10.1.0." + rnd.nextInt(50))
                                : Events.loginSuccess("auth", u, "10.1.0." + rnd.nextInt(50)));
            }
            if (second % 60 == 0) {
                h.feed(Events.revenue("payments", 40 + rnd.nextInt(30)));
            }
            h.advance(Duration.ofSeconds(1));
            if (second % 30 == 0) {
                h.tick();
            }
        }
        assertThat(events).isGreaterThan(60_000);
        assertThat(h.alerts).as("alerts on normal traffic").isEmpty();
        AnalysisSummary s = h.analyzer.summary();
        assertThat(s.alerts()).isZero();
        assertThat(s.malformedTotal()).isZero();
    }
}
