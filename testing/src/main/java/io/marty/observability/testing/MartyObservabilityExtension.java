package io.marty.observability.testing;

import io.marty.observability.core.MartyObservability;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a fresh {@link MartyTesting} before each test (before {@code @BeforeEach}
 * methods run), closed after it (after the {@code @AfterEach} methods).
 *
 * <pre>{@code
 * class CheckoutTest {
 *     @RegisterExtension
 *     final MartyObservabilityExtension marty = MartyObservabilityExtension.create("checkout");
 *
 *     @Test
 *     void tracesTheCall() throws Exception {
 *         HttpClient client = MartyHttpClient.wrap(HttpClient.newHttpClient(), marty.observability());
 *         client.send(request, BodyHandlers.ofString());
 *         assertThat(marty.spans()).hasSize(1);
 *         assertThat(marty.testing().requests(Map.of("direction", "client"))).isEqualTo(1.0);
 *     }
 * }
 * }</pre>
 *
 * Test classes using it must not run concurrently (one {@code MartyObservability} per JVM).
 */
public final class MartyObservabilityExtension implements BeforeEachCallback, AfterEachCallback {
    private final MartyTesting.Builder builder;
    private volatile MartyTesting current;

    private MartyObservabilityExtension(MartyTesting.Builder builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    /** One instance per test for {@value MartyTesting#DEFAULT_SERVICE_NAME}. */
    public static MartyObservabilityExtension create() {
        return new MartyObservabilityExtension(MartyTesting.builder());
    }

    /** One instance per test for {@code serviceName}. */
    public static MartyObservabilityExtension create(String serviceName) {
        return new MartyObservabilityExtension(MartyTesting.builder().serviceName(serviceName));
    }

    /** One instance per test started from {@code builder} (e.g. with sampling settings). */
    public static MartyObservabilityExtension create(MartyTesting.Builder builder) {
        return new MartyObservabilityExtension(builder);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        current = builder.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        MartyTesting running = current;
        current = null;
        if (running != null) {
            running.close();
        }
    }

    /**
     * The current test's instance (metrics helpers, {@link MartyTesting#reset()}, ...).
     *
     * @throws IllegalStateException outside a test method
     */
    public MartyTesting testing() {
        MartyTesting running = current;
        if (running == null) {
            throw new IllegalStateException(
                    "no MartyObservability outside a test: register the extension with @RegisterExtension"
                            + " and use it from @BeforeEach, @Test or @AfterEach methods");
        }
        return running;
    }

    /** The current test's {@link MartyObservability}. */
    public MartyObservability observability() {
        return testing().observability();
    }

    /** Spans the current test ended. */
    public List<SpanData> spans() {
        return testing().spans();
    }

    /** Log records the current test emitted. */
    public List<LogRecordData> logs() {
        return testing().logs();
    }

    /** The current test's metrics in the Prometheus text format. */
    public String metricsText() {
        return testing().metricsText();
    }
}
