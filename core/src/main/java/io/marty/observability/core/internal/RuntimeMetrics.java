package io.marty.observability.core.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JVM and process metrics from client_java's {@code prometheus-metrics-instrumentation-jvm}, with a
 * {@code service} label. {@link JvmMetrics} registers once per registry and cannot be unregistered
 * (it also adds GC notification listeners), so each service name gets one private registry for the
 * life of the JVM, and the service's registry reads it through a collector that {@code close()} can
 * remove again.
 */
public final class RuntimeMetrics {
    private static final Map<String, PrometheusRegistry> BY_SERVICE = new ConcurrentHashMap<>();

    private RuntimeMetrics() {}

    /** A collector that exposes the JVM/process metrics labelled {@code service=<service>}. */
    public static MultiCollector collector(String service) {
        PrometheusRegistry jvm = BY_SERVICE.computeIfAbsent(service, s -> {
            PrometheusRegistry r = new PrometheusRegistry();
            JvmMetrics.builder()
                    .constLabels(io.prometheus.metrics.model.snapshots.Labels.of("service", s))
                    .register(r);
            return r;
        });
        return jvm::scrape;
    }
}
