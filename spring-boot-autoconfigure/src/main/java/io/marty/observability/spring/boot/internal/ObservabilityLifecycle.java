package io.marty.observability.spring.boot.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.logging.MartyLogging;
import java.util.Optional;
import java.util.logging.Logger;
import org.springframework.beans.factory.DisposableBean;

/**
 * Starts the one {@link MartyObservability} of the JVM for the application context and closes it
 * (flushing spans, logs and metrics) when the context closes. A JVM can run one instance; when one
 * is already running (started by the application's own code, a test, or a second Spring context in
 * the same JVM) it is used as it is and left open.
 */
public final class ObservabilityLifecycle implements DisposableBean {

    private static final Logger LOG = Logger.getLogger(ObservabilityLifecycle.class.getName());

    private final MartyObservability observability;
    private final boolean owned;

    private ObservabilityLifecycle(MartyObservability observability, boolean owned) {
        this.observability = observability;
        this.owned = owned;
    }

    /** Starts an instance with {@code config}, or adopts the running one. */
    public static ObservabilityLifecycle start(ObservabilityConfig config) {
        Optional<MartyObservability> running = MartyObservability.current();
        if (running.isPresent() && !running.get().isClosed()) {
            LOG.info("Marty: using the MartyObservability already running in this JVM (service '"
                    + running.get().config().serviceName() + "'); marty.* properties of this context are not applied");
            return new ObservabilityLifecycle(running.get(), false);
        }
        MartyObservability started = MartyObservability.start(config);
        try {
            MartyLogging.install(started);
        } catch (RuntimeException | LinkageError e) {
            // Logback absent or configured otherwise: logs stay as they are, tracing and metrics work
            started.metrics()
                    .instrumentationErrors()
                    .record(
                            io.marty.observability.core.failure.InstrumentationErrors.SPRING,
                            "cannot connect Logback to Marty",
                            e);
        }
        return new ObservabilityLifecycle(started, true);
    }

    public MartyObservability observability() {
        return observability;
    }

    /** Whether this context started the instance (and so closes it). */
    public boolean owned() {
        return owned;
    }

    @Override
    public void destroy() {
        if (owned) {
            observability.close();
        }
    }
}
