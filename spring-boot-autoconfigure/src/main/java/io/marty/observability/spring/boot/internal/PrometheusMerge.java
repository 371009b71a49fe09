package io.marty.observability.spring.boot.internal;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Marty's metrics inside Boot's Prometheus registry, so Boot's {@code /actuator/prometheus} (of
 * Micrometer's Prometheus registry) shows both. Marty's JVM and process metrics are left out there:
 * Micrometer binds its own under the same names, and a name may appear once per scrape.
 */
public final class PrometheusMerge implements MultiCollector {

    private final PrometheusRegistry marty;

    public PrometheusMerge(PrometheusRegistry marty) {
        this.marty = marty;
    }

    @Override
    public MetricSnapshots collect() {
        return marty.scrape(PrometheusMerge::notRuntime);
    }

    static boolean notRuntime(String name) {
        return !name.startsWith("jvm_") && !name.startsWith("process_");
    }
}
