package io.marty.observability.loganalysis.sink;

import io.marty.observability.core.alert.Alert;
import io.marty.observability.core.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

final class TestAlerts {
    private TestAlerts() {}

    static Alert bruteForce(String user, Instant at) {
        return new Alert(
                "brute_force_login",
                "brute_force",
                Severity.CRITICAL,
                "auth",
                Map.of("user_id", user),
                12,
                10,
                Duration.ofMinutes(5),
                at.toEpochMilli(),
                Duration.ofMinutes(5),
                "brute_force_login: brute force against user '" + user + "'",
                "12 failed logins for user '" + user + "' within 5m (threshold 10)",
                Map.of("message", "Authentication failed", "correlation_id", "corr-1", "trace_id", "0af7651916cd43dd"));
    }
}
