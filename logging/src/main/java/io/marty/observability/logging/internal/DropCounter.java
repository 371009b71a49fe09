package io.marty.observability.logging.internal;

import io.marty.observability.logging.DropReason;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code mmf_log_events_dropped_total{reason}}: one counter per registry, registered on first use.
 * The registry is the one bound by {@code MartyLogging.bindMetrics}, else {@link
 * PrometheusRegistry#defaultRegistry}.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class DropCounter {
    /** Exposed as {@code mmf_log_events_dropped_total} (client_java appends {@code _total}). */
    public static final String METRIC_NAME = "mmf_log_events_dropped";

    private static final Map<PrometheusRegistry, EnumMap<DropReason, CounterDataPoint>> BY_REGISTRY =
            new ConcurrentHashMap<>();
    private static volatile PrometheusRegistry bound;

    public static void bind(PrometheusRegistry registry) {
        bound = registry;
    }

    public static PrometheusRegistry registry() {
        PrometheusRegistry r = bound;
        return r != null ? r : PrometheusRegistry.defaultRegistry;
    }

    /** Counts one drop; never throws. */
    public static void record(DropReason reason) {
        try {
            BY_REGISTRY
                    .computeIfAbsent(registry(), DropCounter::register)
                    .get(reason)
                    .inc();
        } catch (RuntimeException e) {
            // metrics must never break logging; the per-component counters still count the drop
        }
    }

    private static EnumMap<DropReason, CounterDataPoint> register(PrometheusRegistry registry) {
        Counter c = Counter.builder()
                .name(METRIC_NAME)
                .help("Log events dropped before reaching an appender, by reason")
                .labelNames("reason")
                .register(registry);
        EnumMap<DropReason, CounterDataPoint> points = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            points.put(r, c.labelValues(r.label()));
        }
        return points;
    }

    private DropCounter() {}
}
