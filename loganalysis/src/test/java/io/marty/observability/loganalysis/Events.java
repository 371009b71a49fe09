package io.marty.observability.loganalysis;

/** Event factories for tests (no timestamp: the analyzer's clock decides the time). */
final class Events {
    private Events() {}

    static LogEvent info(String service, String msg) {
        return LogEvent.builder()
                .level(LogLevel.INFO)
                .service(service)
                .category("application")
                .message(msg)
                .build();
    }

    static LogEvent error(String service, String msg) {
        return LogEvent.builder()
                .level(LogLevel.ERROR)
                .service(service)
                .category("error")
                .message(msg)
                .build();
    }

    static LogEvent critical(String service, String msg) {
        return LogEvent.builder()
                .level(LogLevel.CRITICAL)
                .service(service)
                .message(msg)
                .build();
    }

    static LogEvent loginFailure(String service, String user, String ip) {
        return LogEvent.builder()
                .level(LogLevel.WARN)
                .service(service)
                .category("security")
                .message("Authentication failed")
                .context("user_id", user)
                .field("security_event", "authentication_failure")
                .field("source_ip", ip)
                .build();
    }

    static LogEvent loginSuccess(String service, String user, String ip) {
        return LogEvent.builder()
                .level(LogLevel.INFO)
                .service(service)
                .category("security")
                .message("User authenticated successfully")
                .context("user_id", user)
                .field("security_event", "authentication_success")
                .field("source_ip", ip)
                .build();
    }

    static LogEvent request(String service, double durationMs, int status) {
        return LogEvent.builder()
                .level(status >= 500 ? LogLevel.ERROR : LogLevel.INFO)
                .service(service)
                .category("performance")
                .message("GET /orders/{id} completed")
                .field("duration_ms", durationMs)
                .field("http_status", status)
                .field("http_path", "/orders/{id}")
                .build();
    }

    static LogEvent revenue(String service, double amount) {
        return LogEvent.builder()
                .level(LogLevel.INFO)
                .service(service)
                .category("business")
                .message("Order paid")
                .field("event_type", "transaction")
                .field("amount", amount)
                .field("currency", "USD")
                .build();
    }
}
