package io.marty.observability.loganalysis;

/** Public event factories for tests in sub-packages. */
public final class Events2 {
    private Events2() {}

    public static LogEvent loginFailureAt(long epochMillis, String user, String ip) {
        return LogEvent.builder()
                .timestampMillis(epochMillis)
                .level(LogLevel.WARN)
                .service("auth")
                .category("security")
                .message("Authentication failed")
                .context("user_id", user)
                .context("correlation_id", "corr-" + epochMillis)
                .field("security_event", "authentication_failure")
                .field("source_ip", ip)
                .build();
    }
}
