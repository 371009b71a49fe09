package io.marty.observability.benchmarks.hotpath;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.MmfHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Extract and inject with the propagator the framework installs (W3C trace context + baggage + X-MMF-*), the
 * per-hop cost of every instrumented request and outgoing call.
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar PropagationBenchmark}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PropagationBenchmark {

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private MartyObservability observability;
    private TextMapPropagator propagator;
    private Map<String, String> fullHeaders;
    private Map<String, String> noHeaders;
    private Context withSpanAndCorrelation;

    @Setup(Level.Trial)
    public void setUp() {
        observability = HotPathState.start(1.0);
        propagator = observability.openTelemetry().getPropagators().getTextMapPropagator();
        fullHeaders = new HashMap<>();
        fullHeaders.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        fullHeaders.put(MmfHeaders.CORRELATION_ID, "7d3c1c9e-2f8a-4b8e-9a53-3c1a8e9b2f10");
        fullHeaders.put(MmfHeaders.REQUEST_ID, "0b6f8a7e-6d2c-4a0e-8f8e-2a1c7b9d4e31");
        fullHeaders.put(MmfHeaders.USER_ID, "user-42");
        noHeaders = new HashMap<>();
        Context extracted = propagator.extract(Context.root(), fullHeaders, GETTER);
        Span span = observability
                .tracing()
                .startSpan("GET /hello", SpanKind.SERVER, io.opentelemetry.api.common.Attributes.empty(), extracted);
        withSpanAndCorrelation = extracted.with(span);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        observability.close();
    }

    /** Incoming request with traceparent and three X-MMF headers. */
    @Benchmark
    public Context extractFull() {
        return propagator.extract(Context.root(), fullHeaders, GETTER);
    }

    /** Incoming request without any header: a correlation id and a request id are generated. */
    @Benchmark
    public Context extractEmpty() {
        return propagator.extract(Context.root(), noHeaders, GETTER);
    }

    /** Outgoing call: traceparent + X-MMF-* written into a fresh header map. */
    @Benchmark
    public Map<String, String> inject() {
        Map<String, String> out = new HashMap<>(16);
        propagator.inject(withSpanAndCorrelation, out, Map::put);
        return out;
    }
}
