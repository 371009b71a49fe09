package io.marty.observability.benchmarks.overhead;

import ch.qos.logback.classic.LoggerContext;
import com.sun.net.httpserver.Filter;
import io.grpc.ServerInterceptor;
import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.grpc.MartyGrpcServerInterceptor;
import io.marty.observability.http.HttpServerTelemetry;
import io.marty.observability.http.MartyHttpServerFilter;
import io.marty.observability.http.MartyServletFilter;
import io.marty.observability.logging.BoundedAsyncAppender;
import io.marty.observability.logging.DropReason;
import io.marty.observability.logging.MartyLogging;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "ours" variants: {@link MartyObservability} started as a service would (OTLP/HTTP span export through the
 * batch processor to {@code --otlp}, sampling {@code --sampling}, Prometheus registry without an HTTP port), and
 * the framework's own filter/interceptor on each server kind. With {@code accessLog}, the HTTP filters write their
 * {@code mmf.access} event per request and the gRPC service writes the same event itself (the interceptor has no
 * access log); {@code logback-access.xml} routes it through the bounded async appender into a JSON file.
 */
final class OursInstrumentation implements Instrumentation {

    private static final Logger ACCESS = LoggerFactory.getLogger("mmf.access");

    private final MartyObservability observability;
    private final HttpServerTelemetry http;
    private final boolean accessLog;
    private final LongAdder requests = new LongAdder();

    OursInstrumentation(String otlpEndpoint, double sampleRate, boolean accessLog) {
        this.accessLog = accessLog;
        observability = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("bench")
                .serviceVersion("0.1.0")
                .environment("production")
                .tracesExporter(ObservabilityConfig.EXPORTER_OTLP)
                .logsExporter(ObservabilityConfig.EXPORTER_NONE)
                .otlpEndpoint(otlpEndpoint)
                .otlpProtocol(ObservabilityConfig.PROTOCOL_HTTP_PROTOBUF)
                .otlpTimeout(Duration.ofSeconds(10))
                .sampleRate(sampleRate)
                .prometheusPort(ObservabilityConfig.PROMETHEUS_DISABLED)
                .spanExportQueueSize(
                        Integer.getInteger("bench.spanQueue", ObservabilityConfig.DEFAULT_SPAN_EXPORT_QUEUE_SIZE))
                .spanExportBatchSize(
                        Integer.getInteger("bench.spanBatch", ObservabilityConfig.DEFAULT_SPAN_EXPORT_BATCH_SIZE))
                .build());
        MartyLogging.install(observability);
        http = HttpServerTelemetry.builder(observability).accessLog(accessLog).build();
    }

    @Override
    public List<Filter> jdkFilters() {
        return List.of(MartyHttpServerFilter.create(http));
    }

    @Override
    public List<jakarta.servlet.Filter> servletFilters() {
        return List.of(MartyServletFilter.create(http));
    }

    @Override
    public List<ServerInterceptor> grpcInterceptors() {
        return List.of(MartyGrpcServerInterceptor.create(observability));
    }

    @Override
    public void onRequest(String route, int status) {
        requests.increment();
        if (accessLog && status == 0 && ACCESS.isInfoEnabled()) { // gRPC: the HTTP filters log themselves
            ACCESS.atInfo()
                    .addKeyValue("category", "access")
                    .addKeyValue("method", "POST")
                    .addKeyValue("route", route)
                    .addKeyValue("status", "OK")
                    .log("POST {} OK", route);
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("requests", requests.sum());
        if (accessLog
                && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx
                && ctx.getLogger("mmf.access").getAppender("ASYNC") instanceof BoundedAsyncAppender async) {
            long dropped = 0;
            for (DropReason r : DropReason.values()) {
                dropped += async.getDropped(r);
            }
            c.put("log_dropped", dropped);
            c.put("log_queued", (long) async.getQueuedCount());
        }
        return c;
    }

    @Override
    public void close() {
        observability.close();
    }
}
