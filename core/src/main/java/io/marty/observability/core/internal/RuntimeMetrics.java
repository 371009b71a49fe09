package io.marty.observability.core.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JVM and process metrics from client_java's {@code prometheus-metrics-instrumentation-jvm}, with a
 * {@code service} label. {@link JvmMetrics} registers once per registry and cannot be unregistered
 * (it also adds GC notification listeners), so each service name gets one private registry for the
 * life of the JVM, and the service's registry reads it through a collector that {@code close()} can
 * remove again.
 *
 * <p>Registering them starts the platform MBean server and loads some 150 classes, so it happens on
 * the first collect (the first scrape, or the first OTLP metrics push), on that caller's thread,
 * not in {@code MartyObservability.start}: a service reaches its first response sooner, and no
 * thread competes with its startup. Counters that come from GC notifications (allocated bytes)
 * count from then on. Should registering fail, the JVM metrics are left out (logged once) and
 * everything else keeps working.
 */
public final class RuntimeMetrics {
    private static final Logger logger = Logger.getLogger(RuntimeMetrics.class.getName());
    private static final Map<String, Registered> BY_SERVICE = new ConcurrentHashMap<>();

    private RuntimeMetrics() {}

    /** A collector that exposes the JVM/process metrics labelled {@code service=<service>}. */
    public static MultiCollector collector(String service) {
        Registered jvm = BY_SERVICE.computeIfAbsent(service, Registered::new);
        return jvm::collect;
    }

    /** One service's private registry, filled on its first collect. */
    private static final class Registered {
        private final String service;
        private volatile PrometheusRegistry registry;

        Registered(String service) {
            this.service = service;
        }

        MetricSnapshots collect() {
            PrometheusRegistry r = registry;
            if (r == null) {
                synchronized (this) {
                    r = registry;
                    if (r == null) {
                        r = register();
                        registry = r;
                    }
                }
            }
            return r.scrape();
        }

        private PrometheusRegistry register() {
            PrometheusRegistry r = new PrometheusRegistry();
            try {
                JvmMetrics.builder().constLabels(Labels.of("service", service)).register(r);
                return r;
            } catch (RuntimeException | LinkageError e) {
                logger.log(Level.WARNING, "JVM metrics are not available: " + e, e);
                return new PrometheusRegistry();
            }
        }
    }
}
