package io.marty.observability.demo.traffic;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated three-service shop (HTTP gateway → hybrid order service → gRPC payment service)
 * that answers {@link DemoRequest}s by emitting the telemetry the real services would: W3C-linked
 * server/client spans with {@code mmf.*} correlation attributes, MMF-categorised logs tied to the
 * spans, and RED metrics with exemplars, all exported over OTLP/HTTP by the real OpenTelemetry SDK
 * (one SDK per service, so each has its own {@code service.name}).
 *
 * <p>It is the demo's fallback when the real example services cannot run, and a fast way to fill a
 * console with realistic, correlated data. Durations are simulated (span timestamps are set
 * explicitly), so it costs almost no CPU and never sleeps.
 */
public final class SimulatedShop implements Target, AutoCloseable {
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final AttributeKey<String> CORRELATION = AttributeKey.stringKey("mmf.correlation_id");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("mmf.request_id");
    private static final AttributeKey<String> USER = AttributeKey.stringKey("mmf.user_id");

    private final Service gateway;
    private final Service orders;
    private final Service payment;
    private final SplittableRandom random = new SplittableRandom(7);
    private final AtomicLong orderIds = new AtomicLong(10_000);

    /** One simulated service: its own SDK, tracer, logger and RED instruments. */
    private static final class Service implements AutoCloseable {
        final String name;
        final OpenTelemetrySdk sdk;
        final Tracer tracer;
        final Logger log;
        final LongCounter requests;
        final DoubleHistogram duration;
        final LongCounter revenue;

        Service(String name, String endpoint, Duration metricInterval) {
            this.name = name;
            Resource resource = Resource.getDefault()
                    .merge(Resource.create(Attributes.builder()
                            .put("service.name", name)
                            .put("service.version", "1.0.0")
                            .put("deployment.environment.name", "demo")
                            .put(
                                    "service.instance.id",
                                    name + "-" + UUID.randomUUID().toString().substring(0, 8))
                            .build()));
            this.sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .setResource(resource)
                            .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                            .setEndpoint(endpoint + "/v1/traces")
                                            .build())
                                    .setScheduleDelay(Duration.ofMillis(500))
                                    .build())
                            .build())
                    .setLoggerProvider(SdkLoggerProvider.builder()
                            .setResource(resource)
                            .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpHttpLogRecordExporter.builder()
                                            .setEndpoint(endpoint + "/v1/logs")
                                            .build())
                                    .setScheduleDelay(Duration.ofMillis(500))
                                    .build())
                            .build())
                    .setMeterProvider(SdkMeterProvider.builder()
                            .setResource(resource)
                            .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                                            .setEndpoint(endpoint + "/v1/metrics")
                                            .build())
                                    .setInterval(metricInterval)
                                    .build())
                            .build())
                    .build();
            this.tracer = sdk.getTracer("io.marty.observability.demo.traffic");
            this.log = sdk.getLogsBridge().get("io.marty.observability.demo." + name);
            var meter = sdk.getMeter("io.marty.observability.demo.traffic");
            this.requests = meter.counterBuilder("mmf_requests_total").build();
            this.duration = meter.histogramBuilder("mmf_request_duration_seconds")
                    .setUnit("s")
                    .setExplicitBucketBoundariesAdvice(
                            java.util.Arrays.stream(BUCKETS).boxed().toList())
                    .build();
            this.revenue =
                    meter.counterBuilder("mmf_business_revenue_cents_total").build();
        }

        @Override
        public void close() {
            sdk.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    /** Exports to the OTLP/HTTP base URL, e.g. {@code http://127.0.0.1:4318}. */
    public SimulatedShop(String otlpEndpoint) {
        this(otlpEndpoint, Duration.ofSeconds(5));
    }

    public SimulatedShop(String otlpEndpoint, Duration metricInterval) {
        String base = otlpEndpoint.endsWith("/") ? otlpEndpoint.substring(0, otlpEndpoint.length() - 1) : otlpEndpoint;
        gateway = new Service("gateway", base, metricInterval);
        orders = new Service("order-service", base, metricInterval);
        payment = new Service("payment-service", base, metricInterval);
    }

    /** Service names the shop reports. */
    public List<String> serviceNames() {
        return List.of(gateway.name, orders.name, payment.name);
    }

    private synchronized long rnd(long min, long maxExclusive) {
        return min + random.nextLong(maxExclusive - min);
    }

    /** A request in flight: correlation ids and a simulated clock in epoch nanoseconds. */
    private static final class Call {
        final String correlationId = UUID.randomUUID().toString();
        final DemoRequest req;
        long now = System.currentTimeMillis() * 1_000_000L;

        Call(DemoRequest req) {
            this.req = req;
        }

        void advanceMillis(long ms) {
            now += ms * 1_000_000L;
        }
    }

    @Override
    public int send(DemoRequest r) {
        Call c = new Call(r);
        return switch (r.kind()) {
            case BROWSE -> browse(c);
            case CHECKOUT -> checkout(c);
            case LOGIN -> login(c);
        };
    }

    private Span server(Service s, Context parent, Call c, String name, String method, String route) {
        return s.tracer
                .spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(c.now, TimeUnit.NANOSECONDS)
                .setAttribute("http.request.method", method)
                .setAttribute("http.route", route)
                .setAttribute("url.scheme", "http")
                .setAttribute("client.address", c.req.clientIp())
                .setAttribute(CORRELATION, c.correlationId)
                .setAttribute(REQUEST_ID, UUID.randomUUID().toString())
                .setAttribute(USER, c.req.userId())
                .startSpan();
    }

    private Span client(Service s, Context parent, Call c, String name) {
        return s.tracer
                .spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(c.now, TimeUnit.NANOSECONDS)
                .setAttribute(CORRELATION, c.correlationId)
                .startSpan();
    }

    private void log(Service s, Context ctx, Call c, Severity sev, String category, String message) {
        log(s, ctx, c, sev, category, message, Attributes.empty());
    }

    /** Emits one log record; {@code fields} become attributes (the MMF schema's {@code fields}). */
    private void log(Service s, Context ctx, Call c, Severity sev, String category, String message, Attributes fields) {
        s.log.logRecordBuilder()
                .setAllAttributes(fields)
                .setContext(ctx)
                .setTimestamp(c.now, TimeUnit.NANOSECONDS)
                .setSeverity(sev)
                .setSeverityText(sev == Severity.ERROR ? "ERROR" : sev == Severity.WARN ? "WARN" : "INFO")
                .setBody(message)
                .setAttribute(AttributeKey.stringKey("category"), category)
                .setAttribute(AttributeKey.stringKey("correlation_id"), c.correlationId)
                .setAttribute(AttributeKey.stringKey("user_id"), c.req.userId())
                .emit();
    }

    /** Ends a server span with an HTTP status and records RED metrics (with the span as exemplar). */
    private void endHttp(
            Service s, Span span, Context ctx, Call c, long startNanos, String method, String route, int status) {
        span.setAttribute("http.response.status_code", (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end(c.now, TimeUnit.NANOSECONDS);
        red(s, ctx, "http", method, route, Integer.toString(status), outcome(status), c.now - startNanos);
    }

    private static String outcome(int status) {
        return status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
    }

    private void red(
            Service s,
            Context ctx,
            String protocol,
            String method,
            String route,
            String status,
            String outcome,
            long nanos) {
        AttributesBuilder a = Attributes.builder()
                .put("protocol", protocol)
                .put("direction", "server")
                .put("method", method)
                .put("route", route);
        Attributes withoutStatus = a.build();
        s.duration.record(nanos / 1e9, withoutStatus, ctx);
        s.requests.add(1, a.put("status", status).put("outcome", outcome).build(), ctx);
    }

    private int browse(Call c) {
        String route = "/products/{id}";
        long start = c.now;
        Span gw = server(gateway, Context.root(), c, "GET " + route, "GET", route);
        Context gwCtx = Context.root().with(gw);
        c.advanceMillis(rnd(1, 3));
        Span call = client(gateway, gwCtx, c, "GET");
        Context callCtx = gwCtx.with(call);
        long ordStart = c.now;
        Span ord = server(orders, callCtx, c, "GET " + route, "GET", route);
        Context ordCtx = callCtx.with(ord);
        c.advanceMillis(rnd(4, 35));
        endHttp(orders, ord, ordCtx, c, ordStart, "GET", route, 200);
        call.setAttribute("http.response.status_code", 200L);
        call.end(c.now, TimeUnit.NANOSECONDS);
        c.advanceMillis(1);
        log(
                gateway,
                gwCtx,
                c,
                Severity.INFO,
                "access",
                "GET /products/" + rnd(1, 50) + " 200",
                access("GET", route, 200, (c.now - start) / 1_000_000));
        endHttp(gateway, gw, gwCtx, c, start, "GET", route, 200);
        return 200;
    }

    private static Attributes access(String method, String route, int status, long durationMs) {
        return Attributes.builder()
                .put("method", method)
                .put("route", route)
                .put("http_status", (long) status)
                .put("duration_ms", durationMs)
                .build();
    }

    private int login(Call c) {
        String route = "/login";
        long start = c.now;
        Span gw = server(gateway, Context.root(), c, "POST " + route, "POST", route);
        Context ctx = Context.root().with(gw);
        c.advanceMillis(rnd(20, 60)); // password hashing
        boolean ok = c.req.password().equals("correct-horse");
        if (ok) {
            log(gateway, ctx, c, Severity.INFO, "security", "login succeeded for user " + c.req.userId());
        } else {
            log(
                    gateway,
                    ctx,
                    c,
                    Severity.WARN,
                    "security",
                    "Authentication failed for user " + c.req.userId() + " from " + c.req.clientIp(),
                    Attributes.builder()
                            .put("security_event", "authentication_failure")
                            .put("client_ip", c.req.clientIp())
                            .build());
        }
        endHttp(gateway, gw, ctx, c, start, "POST", route, ok ? 200 : 401);
        return ok ? 200 : 401;
    }

    private int checkout(Call c) {
        String route = "/checkout";
        long orderId = orderIds.incrementAndGet();
        long start = c.now;
        Span gw = server(gateway, Context.root(), c, "POST " + route, "POST", route);
        Context gwCtx = Context.root().with(gw);
        log(gateway, gwCtx, c, Severity.INFO, "application", "checkout started for " + c.req.userId());
        c.advanceMillis(rnd(1, 4));
        Span call = client(gateway, gwCtx, c, "POST");
        Context callCtx = gwCtx.with(call);

        long ordStart = c.now;
        Span ord = server(orders, callCtx, c, "POST /orders", "POST", "/orders");
        Context ordCtx = callCtx.with(ord);
        c.advanceMillis(rnd(5, 20));
        if (c.req.delayMillis() > 0) {
            Span db = orders.tracer
                    .spanBuilder("SELECT inventory")
                    .setParent(ordCtx)
                    .setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(c.now, TimeUnit.NANOSECONDS)
                    .setAttribute("db.system.name", "postgresql")
                    .startSpan();
            c.advanceMillis(c.req.delayMillis());
            db.end(c.now, TimeUnit.NANOSECONDS);
            log(
                    orders,
                    ordCtx,
                    c,
                    Severity.WARN,
                    "performance",
                    "Slow request: inventory lookup for order " + orderId + " took " + c.req.delayMillis() + " ms");
        }
        // order -> payment over gRPC
        Span rpc = orders.tracer
                .spanBuilder("payment.PaymentService/Charge")
                .setParent(ordCtx)
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(c.now, TimeUnit.NANOSECONDS)
                .setAttribute("rpc.system", "grpc")
                .setAttribute("rpc.service", "payment.PaymentService")
                .setAttribute("rpc.method", "Charge")
                .setAttribute(CORRELATION, c.correlationId)
                .startSpan();
        Context rpcCtx = ordCtx.with(rpc);
        long payStart = c.now;
        Span pay = payment.tracer
                .spanBuilder("payment.PaymentService/Charge")
                .setParent(rpcCtx)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(c.now, TimeUnit.NANOSECONDS)
                .setAttribute("rpc.system", "grpc")
                .setAttribute("rpc.service", "payment.PaymentService")
                .setAttribute("rpc.method", "Charge")
                .setAttribute(CORRELATION, c.correlationId)
                .setAttribute(USER, c.req.userId())
                .startSpan();
        Context payCtx = rpcCtx.with(pay);
        c.advanceMillis(rnd(10, 60));
        boolean paid = !c.req.failPayment();
        String grpcStatus = paid ? "OK" : "UNAVAILABLE";
        pay.setAttribute("rpc.grpc.status_code", paid ? 0L : 14L);
        if (paid) {
            log(
                    payment,
                    payCtx,
                    c,
                    Severity.INFO,
                    "audit",
                    "charged " + c.req.amountCents() + " cents for order " + orderId);
        } else {
            pay.setStatus(StatusCode.ERROR, "card processor unavailable");
            pay.recordException(new IllegalStateException("card processor timeout after 30 ms"));
            log(
                    payment,
                    payCtx,
                    c,
                    Severity.ERROR,
                    "error",
                    "Payment failed for order " + orderId + ": card processor unavailable");
        }
        pay.end(c.now, TimeUnit.NANOSECONDS);
        red(
                payment,
                payCtx,
                "grpc",
                "Charge",
                "payment.PaymentService/Charge",
                grpcStatus,
                paid ? "success" : "server_error",
                c.now - payStart);
        rpc.setAttribute("rpc.grpc.status_code", paid ? 0L : 14L);
        if (!paid) {
            rpc.setStatus(StatusCode.ERROR, "UNAVAILABLE");
        }
        c.advanceMillis(1);
        rpc.end(c.now, TimeUnit.NANOSECONDS);

        int status = paid ? 201 : 502;
        if (paid) {
            log(
                    orders,
                    ordCtx,
                    c,
                    Severity.INFO,
                    "business",
                    "Order " + orderId + " placed: " + c.req.amountCents() + " cents",
                    Attributes.builder()
                            .put("amount_cents", c.req.amountCents())
                            .put("order_id", orderId)
                            .build());
            orders.revenue.add(c.req.amountCents(), Attributes.of(AttributeKey.stringKey("currency"), "EUR"), ordCtx);
        } else {
            log(
                    orders,
                    ordCtx,
                    c,
                    Severity.ERROR,
                    "error",
                    "Order " + orderId + " failed: payment service returned UNAVAILABLE");
        }
        c.advanceMillis(rnd(1, 5));
        endHttp(orders, ord, ordCtx, c, ordStart, "POST", "/orders", status);
        call.setAttribute("http.response.status_code", (long) status);
        call.end(c.now, TimeUnit.NANOSECONDS);
        c.advanceMillis(1);
        int gwStatus = paid ? 200 : 502;
        log(
                gateway,
                gwCtx,
                c,
                paid ? Severity.INFO : Severity.ERROR,
                "access",
                "POST /checkout " + gwStatus + " " + (c.now - start) / 1_000_000 + " ms",
                access("POST", route, gwStatus, (c.now - start) / 1_000_000));
        endHttp(gateway, gw, gwCtx, c, start, "POST", route, gwStatus);
        return gwStatus;
    }

    /** Flushes and stops the three SDKs. */
    @Override
    public void close() {
        for (Service s : List.of(gateway, orders, payment)) {
            s.close();
        }
    }

    /** Forces all buffered telemetry out now. */
    public void flush() {
        for (Service s : List.of(gateway, orders, payment)) {
            s.sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
            s.sdk.getSdkLoggerProvider().forceFlush().join(5, TimeUnit.SECONDS);
            s.sdk.getSdkMeterProvider().forceFlush().join(5, TimeUnit.SECONDS);
        }
    }
}
