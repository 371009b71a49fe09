package io.marty.observability.core.health;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The aggregated result of all checks at one point in time. */
public final class HealthReport {
    private final HealthStatus status;
    private final Map<String, HealthCheckResult> results;
    private final Instant timestamp;

    /** Creates a report; {@code results} keep their iteration order. */
    public HealthReport(HealthStatus status, Map<String, HealthCheckResult> results, Instant timestamp) {
        this.status = status;
        this.results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
        this.timestamp = timestamp;
    }

    /** Overall status: UP with no checks; otherwise the worst check (non-critical DOWN counts as DEGRADED). */
    public HealthStatus status() {
        return status;
    }

    /** Result per check name. */
    public Map<String, HealthCheckResult> results() {
        return results;
    }

    /** When the report was made. */
    public Instant timestamp() {
        return timestamp;
    }

    /** HTTP status for a health endpoint (200 or 503). */
    public int httpStatus() {
        return status.httpStatus();
    }

    /**
     * The report as JSON: {@code {"status":"UP","timestamp":"...","checks":{"db":{"status":"UP",
     * "duration_ms":3,"message":"...","details":{...}}}}}.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"status\":\"")
                .append(status)
                .append("\",\"timestamp\":\"")
                .append(timestamp)
                .append("\",\"checks\":{");
        boolean first = true;
        for (Map.Entry<String, HealthCheckResult> e : results.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            HealthCheckResult r = e.getValue();
            JsonStrings.quote(sb, e.getKey());
            sb.append(":{\"status\":\"")
                    .append(r.status())
                    .append("\",\"duration_ms\":")
                    .append(r.duration().toMillis());
            if (r.message() != null) {
                sb.append(",\"message\":");
                JsonStrings.quote(sb, r.message());
            }
            if (!r.details().isEmpty()) {
                sb.append(",\"details\":{");
                boolean f2 = true;
                for (Map.Entry<String, String> d : r.details().entrySet()) {
                    if (!f2) {
                        sb.append(',');
                    }
                    f2 = false;
                    JsonStrings.quote(sb, d.getKey());
                    sb.append(':');
                    JsonStrings.quote(sb, d.getValue());
                }
                sb.append('}');
            }
            sb.append('}');
        }
        return sb.append("}}").toString();
    }

    @Override
    public String toString() {
        return "HealthReport{" + status + ", " + results + "}";
    }
}
