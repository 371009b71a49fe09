package io.marty.observability.benchmarks.hotpath;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.Correlation;
import io.marty.observability.core.correlation.CorrelationContext;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Correlation scope open/close (with the MDC view kept in sync by the context storage wrapper) and span
 * start/end through the framework's tracer, at sampling 1.0 and 0.1.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar ContextBenchmark}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContextBenchmark {

    @Param({"1.0", "0.1"})
    public double sampleRate;

    private MartyObservability observability;
    private CorrelationContext correlation;
    private Context parent;

    @Setup(Level.Trial)
    public void setUp() {
        observability = HotPathState.start(sampleRate);
        correlation = CorrelationContext.builder()
                .correlationId("7d3c1c9e-2f8a-4b8e-9a53-3c1a8e9b2f10")
                .requestId("0b6f8a7e-6d2c-4a0e-8f8e-2a1c7b9d4e31")
                .userId("user-42")
                .build();
        parent = correlation.storeInContext(Context.root());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        observability.close();
    }

    /** Attach a correlation context (MDC updated) and detach it (MDC restored). */
    @Benchmark
    public void correlationScope() {
        try (io.opentelemetry.context.Scope ignored = Correlation.attach(correlation)) {
            // nothing: the cost is in attach/close
        }
    }

    /** A server span: start with correlation attributes, make current, end. */
    @Benchmark
    public void spanStartEnd() {
        Span span = observability.tracing().startSpan("GET /hello", SpanKind.SERVER, Attributes.empty(), parent);
        try (io.opentelemetry.context.Scope ignored = parent.with(span).makeCurrent()) {
            // nothing
        } finally {
            span.end();
        }
    }

    /** A new correlation child (two UUIDs) for an outgoing hop. */
    @Benchmark
    public CorrelationContext newChild() {
        return correlation.newChild();
    }
}
