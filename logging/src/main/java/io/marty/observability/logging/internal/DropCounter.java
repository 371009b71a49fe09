package io.marty.observability.logging.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.MartyCounter;
import io.marty.observability.core.metrics.MartyMetrics;
import io.marty.observability.logging.DropReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Optional;

/**
 * {@code mmf_log_events_dropped_total{reason}}, recorded into (first match): the registry bound by
 * {@code MartyLogging.bindMetrics}, the running {@link MartyObservability}'s {@link MartyMetrics}
 * (which adds the {@code service} label), or {@link PrometheusRegistry#defaultRegistry}.
 *
 * <p>Internal API, unstable: may change without notice.
 */
public final class DropCounter {
    /** Exposed as {@code mmf_log_events_dropped_total} (client_java appends {@code _total}). */
    public static final String METRIC_NAME = "mmf_log_events_dropped";

    private static final String HELP = "Log events dropped before reaching an appender, by reason";

    private static volatile PrometheusRegistry bound;
    private static volatile Target target;

    /** Where drops are counted, and the source object it was made for. */
    private static final class Target {
        final Object source;
        final EnumMap<DropReason, Runnable> points = new EnumMap<>(DropReason.class);

        Target(Object source) {
            this.source = source;
        }
    }

    public static void bind(PrometheusRegistry registry) {
        bound = registry;
    }

    /** Counts one drop; never throws. Drops are rare, so resolving the target here is fine. */
    public static void record(DropReason reason) {
        try {
            Object source = source();
            Target t = target;
            if (t == null || t.source != source) {
                t = create(source);
                target = t;
            }
            t.points.get(reason).run();
        } catch (RuntimeException e) {
            // the per-component counters still count the drop
            InstrumentationErrors.current()
                    .record(InstrumentationErrors.LOGGING, "cannot count a dropped log event", e);
        }
    }

    private static Object source() {
        PrometheusRegistry b = bound;
        if (b != null) {
            return b;
        }
        Optional<MartyObservability> core = MartyObservability.current();
        return core.isPresent() ? core.get().metrics() : PrometheusRegistry.defaultRegistry;
    }

    private static synchronized Target create(Object source) {
        Target existing = target;
        if (existing != null && existing.source == source) {
            return existing;
        }
        Target t = new Target(source);
        if (source instanceof MartyMetrics) {
            MartyCounter c = ((MartyMetrics) source).counter("log_events_dropped_total", HELP, "reason");
            for (DropReason r : DropReason.values()) {
                MartyCounter.Child child = c.labels(r.label());
                t.points.put(r, child::inc);
            }
        } else {
            PrometheusRegistry registry = (PrometheusRegistry) source;
            Counter c = REGISTERED.computeIfAbsent(
                    registry,
                    reg -> Counter.builder()
                            .name(METRIC_NAME)
                            .help(HELP)
                            .labelNames("reason")
                            .register(reg));
            for (DropReason r : DropReason.values()) {
                t.points.put(r, c.labelValues(r.label())::inc);
            }
        }
        return t;
    }

    /** One counter per plain registry, even when the target flips between sources. */
    private static final java.util.Map<PrometheusRegistry, Counter> REGISTERED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private DropCounter() {}
}
