package io.marty.observability.benchmarks.hotpath;

import io.marty.observability.http.RouteTemplater;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw path to route template ({@code /orders/123} → {@code /orders/{id}}): a static path, numeric and UUID
 * ids, with and without a registered pattern.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar RouteTemplateBenchmark}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteTemplateBenchmark {

    @Param({"/hello", "/orders/12345/items/7", "/users/7d3c1c9e-2f8a-4b8e-9a53-3c1a8e9b2f10/profile?x=1"})
    public String path;

    private final RouteTemplater heuristics = RouteTemplater.create();
    private final RouteTemplater withPatterns = RouteTemplater.builder()
            .addPattern("/orders/{orderId}/items/{itemId}")
            .addPattern("/users/{userId}/profile")
            .build();

    /** Id detection only (no declared routes). */
    @Benchmark
    public String heuristic() {
        return heuristics.template(path);
    }

    /** Declared patterns tried first. */
    @Benchmark
    public String declaredPatterns() {
        return withPatterns.template(path);
    }
}
