package io.marty.observability.console;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A demo-like load for the console's chart tests, sent as OTLP/protobuf: {@code gateway} calls
 * {@code order-service}, which calls {@code payment-service} (client/server span pairs, ~5 % payment errors), a
 * cumulative request counter and latency histogram with exemplars, and log lines of several
 * levels. {@link #backfill} sends the last minutes at once, {@link #tick} one more second.
 */
final class DemoLoad {
    static final List<Double> BOUNDS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0);

    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(42);
    private final AtomicLong traces = new AtomicLong();
    private final long[] buckets = new long[BOUNDS.size() + 1];
    private long count;
    private double sum;
    private final long startNanos = System.currentTimeMillis() * 1_000_000L;
    /** Trace ids of the requests sent (for assertions). */
    final List<String> sentTraceIds = new ArrayList<>();

    DemoLoad(String base) {
        this.base = base;
    }

    /** Sends {@code seconds} seconds of traffic ending now, 10 s apart (so the charts have history). */
    void backfill(int seconds) throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int s = seconds; s > 0; s -= 10) {
            send(now - s * 1_000_000_000L, 8);
        }
    }

    /** One second of traffic now. */
    void tick() throws Exception {
        send(System.currentTimeMillis() * 1_000_000L, 3);
    }

    private synchronized void send(long at, int requests) throws Exception {
        List<Span> frontend = new ArrayList<>();
        List<Span> checkout = new ArrayList<>();
        List<Span> payment = new ArrayList<>();
        List<LogRecord> logs = new ArrayList<>();
        List<Exemplar> exemplars = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long t0 = at + i * 50_000_000L;
            byte[] trace = id(16);
            byte[] fServer = id(8);
            byte[] fClient = id(8);
            byte[] cServer = id(8);
            byte[] cClient = id(8);
            byte[] pServer = id(8);
            boolean fail = random.nextInt(20) == 0;
            long pay = (5 + random.nextInt(40)) * 1_000_000L;
            long chk = pay + (10 + random.nextInt(30)) * 1_000_000L;
            long front = chk + (2 + random.nextInt(8)) * 1_000_000L;
            frontend.add(span(
                    trace,
                    fServer,
                    null,
                    "GET /shop",
                    Span.SpanKind.SPAN_KIND_SERVER,
                    t0,
                    front,
                    false,
                    "GET",
                    "/shop",
                    fail ? 502 : 200));
            frontend.add(span(
                    trace,
                    fClient,
                    fServer,
                    "POST",
                    Span.SpanKind.SPAN_KIND_CLIENT,
                    t0 + 1_000_000,
                    chk,
                    fail,
                    null,
                    null,
                    0));
            checkout.add(span(
                    trace,
                    cServer,
                    fClient,
                    "POST /checkout",
                    Span.SpanKind.SPAN_KIND_SERVER,
                    t0 + 1_500_000,
                    chk - 1_000_000,
                    fail,
                    "POST",
                    "/checkout",
                    fail ? 502 : 200));
            checkout.add(span(
                    trace,
                    cClient,
                    cServer,
                    "POST",
                    Span.SpanKind.SPAN_KIND_CLIENT,
                    t0 + 2_000_000,
                    pay,
                    fail,
                    null,
                    null,
                    0));
            payment.add(span(
                    trace,
                    pServer,
                    cClient,
                    "POST /pay",
                    Span.SpanKind.SPAN_KIND_SERVER,
                    t0 + 2_500_000,
                    pay - 1_000_000,
                    fail,
                    "POST",
                    "/pay",
                    fail ? 503 : 200));
            String traceHex = HexFormat.of().formatHex(trace);
            sentTraceIds.add(traceHex);
            double seconds = (chk - 1_000_000) / 1e9;
            count++;
            sum += seconds;
            int b = 0;
            while (b < BOUNDS.size() && seconds > BOUNDS.get(b)) {
                b++;
            }
            buckets[b]++;
            if (i == 0) {
                exemplars.add(Exemplar.newBuilder()
                        .setTimeUnixNano(t0)
                        .setAsDouble(seconds)
                        .setTraceId(ByteString.copyFrom(trace))
                        .setSpanId(ByteString.copyFrom(cServer))
                        .build());
            }
            logs.add(log(
                    t0,
                    fail ? SeverityNumber.SEVERITY_NUMBER_ERROR : SeverityNumber.SEVERITY_NUMBER_INFO,
                    fail ? "payment declined" : "checkout ok",
                    trace,
                    cServer));
            if (random.nextInt(4) == 0) {
                logs.add(log(t0, SeverityNumber.SEVERITY_NUMBER_WARN, "slow inventory lookup", trace, cServer));
            }
        }
        ExportTraceServiceRequest spans = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans("gateway", frontend))
                .addResourceSpans(resourceSpans("order-service", checkout))
                .addResourceSpans(resourceSpans("payment-service", payment))
                .build();
        post("/v1/traces", spans.toByteArray());
        post(
                "/v1/logs",
                ExportLogsServiceRequest.newBuilder()
                        .addResourceLogs(ResourceLogs.newBuilder()
                                .setResource(resource("order-service"))
                                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(logs)))
                        .build()
                        .toByteArray());
        HistogramDataPoint.Builder hp = HistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(startNanos)
                .setTimeUnixNano(at + 900_000_000L)
                .setCount(count)
                .setSum(sum)
                .addAllExplicitBounds(BOUNDS)
                .addAllExemplars(exemplars)
                .addAttributes(attr("http.route", "/checkout"));
        for (long c : buckets) {
            hp.addBucketCounts(c);
        }
        Metric histogram = Metric.newBuilder()
                .setName("mmf_request_duration_seconds")
                .setUnit("s")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(hp))
                .build();
        Metric counter = Metric.newBuilder()
                .setName("mmf_requests_total")
                .setSum(Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder()
                                .setStartTimeUnixNano(startNanos)
                                .setTimeUnixNano(at + 900_000_000L)
                                .setAsInt(count)
                                .addAttributes(attr("http.route", "/checkout"))))
                .build();
        post(
                "/v1/metrics",
                ExportMetricsServiceRequest.newBuilder()
                        .addResourceMetrics(ResourceMetrics.newBuilder()
                                .setResource(resource("order-service"))
                                .addScopeMetrics(ScopeMetrics.newBuilder()
                                        .addMetrics(histogram)
                                        .addMetrics(counter)))
                        .build()
                        .toByteArray());
        traces.addAndGet(requests);
    }

    private byte[] id(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        b[0] |= 1; // never all zero
        return b;
    }

    static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    static KeyValue attr(String k, long v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setIntValue(v))
                .build();
    }

    static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(attr("service.name", service))
                .build();
    }

    static ResourceSpans resourceSpans(String service, List<Span> spans) {
        return ResourceSpans.newBuilder()
                .setResource(resource(service))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
                .build();
    }

    static Span span(
            byte[] trace,
            byte[] id,
            byte[] parent,
            String name,
            Span.SpanKind kind,
            long start,
            long duration,
            boolean error,
            String method,
            String route,
            int status) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(trace))
                .setSpanId(ByteString.copyFrom(id))
                .setName(name)
                .setKind(kind)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + duration);
        if (parent != null) {
            b.setParentSpanId(ByteString.copyFrom(parent));
        }
        if (route != null) {
            b.addAttributes(attr("http.request.method", method)).addAttributes(attr("http.route", route));
            b.addAttributes(attr("http.response.status_code", status));
        }
        if (error) {
            b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        return b.build();
    }

    static LogRecord log(long t, SeverityNumber severity, String body, byte[] trace, byte[] span) {
        return LogRecord.newBuilder()
                .setTimeUnixNano(t)
                .setSeverityNumber(severity)
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .setTraceId(ByteString.copyFrom(trace))
                .setSpanId(ByteString.copyFrom(span))
                .build();
    }

    /** Posts one OTLP/HTTP protobuf request; fails unless the console answers 200. */
    void post(String path, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
    }
}
