package io.marty.observability.core.internal;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * <p>Registering them starts the platform MBean server and loads some 150 classes (about half of
 * what {@code MartyObservability.start} adds to a service's startup), so it runs on a daemon thread
 * started here; a scrape that comes first waits for it. Should it fail, the JVM metrics are left out
 * (logged once) and everything else keeps working.
 */
public final class RuntimeMetrics {
    private static final Logger logger = Logger.getLogger(RuntimeMetrics.class.getName());
    private static final Map<String, CompletableFuture<PrometheusRegistry>> BY_SERVICE = new ConcurrentHashMap<>();

    private RuntimeMetrics() {}

    /** A collector that exposes the JVM/process metrics labelled {@code service=<service>}. */
    public static MultiCollector collector(String service) {
        CompletableFuture<PrometheusRegistry> jvm = BY_SERVICE.computeIfAbsent(service, RuntimeMetrics::registerAsync);
        return () -> jvm.join().scrape();
    }

    private static CompletableFuture<PrometheusRegistry> registerAsync(String service) {
        CompletableFuture<PrometheusRegistry> done = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    PrometheusRegistry r = new PrometheusRegistry();
                    try {
                        JvmMetrics.builder()
                                .constLabels(io.prometheus.metrics.model.snapshots.Labels.of("service", service))
                                .register(r);
                    } catch (RuntimeException | LinkageError e) {
                        logger.log(Level.WARNING, "JVM metrics are not available: " + e, e);
                        r = new PrometheusRegistry();
                    }
                    done.complete(r);
                },
                "marty-jvm-metrics");
        t.setDaemon(true);
        t.start();
        return done;
    }
}
