package io.marty.observability.benchmarks.hotpath;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.marty.observability.core.metrics.RedMetrics;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One RED record (active gauge up/down, request counter, duration histogram with classic + native buckets),
 * with and without a sampled span current (the exemplar path), looked up by route each time or through a
 * cached {@link RedMetrics.Route}.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar RedMetricsBenchmark}</pre>
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedMetricsBenchmark {

    private MartyObservability observability;
    private RedMetrics red;
    private RedMetrics.Route route;
    private Context withSpan;
    private Span span;

    @Setup(Level.Trial)
    public void setUp() {
        observability = HotPathState.start(1.0);
        red = observability.metrics().red();
        route = red.route(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}");
        span = observability
                .tracing()
                .startSpan("GET /orders/{id}", SpanKind.SERVER, Attributes.empty(), Context.root());
        withSpan = Context.root().with(span);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        span.end();
        observability.close();
    }

    /** Route looked up per request (what a filter without a per-route cache does). */
    @Benchmark
    public void recordLookup() {
        red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}").end("200", Outcome.SUCCESS);
    }

    /** Route resolved once and kept. */
    @Benchmark
    public void recordCachedRoute() {
        route.start().end("200", Outcome.SUCCESS);
    }

    /** Inside a sampled span: the histogram takes an exemplar (trace_id, span_id). */
    @Benchmark
    public void recordWithExemplar() {
        try (Scope ignored = withSpan.makeCurrent()) {
            route.start().end("200", Outcome.SUCCESS);
        }
    }

    /** Two threads on the same series: contention on the shared counters and histogram. */
    @Benchmark
    @Threads(2)
    public void recordCachedRouteTwoThreads() {
        route.start().end("200", Outcome.SUCCESS);
    }
}
