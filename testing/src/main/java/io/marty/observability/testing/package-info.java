/**
 * Test support for code instrumented with Marty Observability (add it in {@code test} scope):
 * {@link io.marty.observability.testing.MartyTesting} runs an isolated {@code MartyObservability}
 * whose spans, log records and metrics the test reads back in memory, {@link
 * io.marty.observability.testing.MartyObservabilityExtension} gives each JUnit 5 test a fresh one, and
 * {@link io.marty.observability.testing.ManualClock} moves time by hand for anything that takes a
 * {@link java.time.Clock}.
 *
 * <pre>{@code
 * @RegisterExtension
 * final MartyObservabilityExtension marty = MartyObservabilityExtension.create("orders");
 *
 * @Test
 * void countsTheRequest() {
 *     server.createContext("/", handler).getFilters().add(MartyHttpServerFilter.create(marty.observability()));
 *     ... send GET /orders/42 ...
 *     assertThat(marty.testing().requests(Map.of("route", "/orders/{id}", "status", "200"))).isEqualTo(1.0);
 * }
 * }</pre>
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.testing;

import org.jspecify.annotations.NullMarked;
