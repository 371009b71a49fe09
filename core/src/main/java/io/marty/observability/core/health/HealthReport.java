package io.marty.observability.core.health;

import io.marty.observability.core.json.JsonWriter;
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
        JsonWriter json = new JsonWriter().beginObject();
        json.field("status", status.name()).field("timestamp", timestamp.toString());
        json.name("checks").beginObject();
        for (Map.Entry<String, HealthCheckResult> e : results.entrySet()) {
            HealthCheckResult r = e.getValue();
            json.name(e.getKey()).beginObject();
            json.field("status", r.status().name())
                    .field("duration_ms", r.duration().toMillis());
            if (r.message() != null) {
                json.field("message", r.message());
            }
            if (!r.details().isEmpty()) {
                json.name("details").beginObject();
                r.details().forEach(json::field);
                json.endObject();
            }
            json.endObject();
        }
        return json.endObject().endObject().toString();
    }

    @Override
    public String toString() {
        return "HealthReport{" + status + ", " + results + "}";
    }
}
