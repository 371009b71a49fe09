package io.marty.observability.benchmarks.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.marty.observability.logging.MartyJsonEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;

/**
 * Encoding cost of one common log event — 3 MDC context values (correlation_id, request_id,
 * trace_id) and 2 key-values (a string and an int) — for Marty's JSON encoder (masking on, its
 * default), logstash-logback-encoder 9.0 and Logback's PatternLayout. {@code *Bytes} use the
 * Logback {@code Encoder.encode(event) → byte[]} contract; {@code *Stream} write straight to an
 * {@link OutputStream} (both JSON encoders support it). Run with {@code -prof gc} for
 * allocations per event.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LogEncoderBenchmark -f1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogEncoderBenchmark {
    private LoggerContext context;
    private LoggingEvent event;
    private MartyJsonEncoder marty;
    private MartyJsonEncoder martyNoMask;
    private LogstashEncoder logstash;
    private PatternLayoutEncoder pattern;
    private final OutputStream sink = OutputStream.nullOutputStream();

    @Setup
    public void setup() {
        context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        Logger logger = context.getLogger("io.marty.examples.orders.OrderService");

        MDC.put("correlation_id", "7f8c2a9e-4b1d-4c36-9a57-0e2f3d4c5b6a");
        MDC.put("request_id", "c0ffee00-1234-4abc-8def-0123456789ab");
        MDC.put("trace_id", "0af7651916cd43dd8448eb211c80319c");
        event = new LoggingEvent("fqcn", logger, Level.INFO, "Order processed", null, null);
        event.addKeyValuePair(new KeyValuePair("order_id", "ord-000123456"));
        event.addKeyValuePair(new KeyValuePair("items", 3));
        // capture MDC, thread name and message once, as an async appender would
        event.prepareForDeferredProcessing();
        MDC.clear();

        marty = marty(true);
        martyNoMask = marty(false);

        logstash = new LogstashEncoder();
        logstash.setContext(context);
        logstash.setCustomFields(
                "{\"service_name\":\"orders\",\"service_version\":\"1.4.2\",\"environment\":\"production\"}");
        logstash.start();

        pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger"
                + " corr=%X{correlation_id} req=%X{request_id} trace=%X{trace_id} %kvp - %msg%n");
        pattern.start();
    }

    private MartyJsonEncoder marty(boolean masking) {
        MartyJsonEncoder e = new MartyJsonEncoder();
        e.setContext(context);
        e.setServiceName("orders");
        e.setServiceVersion("1.4.2");
        e.setEnvironment("production");
        e.setMaskingEnabled(masking);
        e.start();
        return e;
    }

    @TearDown
    public void tearDown() {
        context.stop();
    }

    @Benchmark
    public byte[] martyBytes() {
        return marty.encode(event);
    }

    @Benchmark
    public OutputStream martyStream() throws IOException {
        marty.encode(event, sink);
        return sink;
    }

    /** Same as {@link #martyStream} with masking off: the price of the PII checks. */
    @Benchmark
    public Object martyNoMaskStream() throws IOException {
        martyNoMask.encode(event, sink);
        return martyNoMask;
    }

    @Benchmark
    public byte[] logstashBytes() {
        return logstash.encode(event);
    }

    @Benchmark
    public Object logstashStream() throws IOException {
        logstash.encode(event, sink);
        return logstash;
    }

    @Benchmark
    public byte[] patternLayoutBytes() {
        return pattern.encode(event);
    }
}
