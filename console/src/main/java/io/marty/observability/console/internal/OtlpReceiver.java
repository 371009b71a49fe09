package io.marty.observability.console.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.marty.observability.console.ConsoleLog;
import io.marty.observability.console.ConsoleMetricPoint;
import io.marty.observability.console.ConsolePanels.TelemetryListener;
import io.marty.observability.console.ConsoleSpan;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP receiver for one signal ({@code /v1/traces}, {@code /v1/logs} or {@code /v1/metrics}):
 * binary protobuf or JSON, optionally gzip-compressed. Follows the OTLP/HTTP spec: 200 with a
 * partial-success body when some items were rejected, 400 with a {@code google.rpc.Status} body
 * for undecodable payloads, 413 when the (decompressed) body exceeds the limit, 415 for other
 * content types.
 */
final class OtlpReceiver implements ConsoleHandler.Route {
    /** The three OTLP signals. */
    enum Signal {
        TRACES,
        LOGS,
        METRICS
    }

    private static final int INVALID_ARGUMENT = 3;
    /**
     * How long a too-large body is read and dropped before answering 413: a client that writes its
     * whole body before reading sees a connection reset instead of the answer if the server closes
     * with unread data.
     */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A body arriving slower than this on average is cut off (checked each second). */
    private static final long MIN_BODY_BYTES_PER_SECOND = 16 * 1024;

    private final Signal signal;
    private final TelemetryStore store;
    private final List<TelemetryListener> listeners;
    private final byte[] token;
    private final IngestLimits limits;
    private final IngestGate gate;
    private final ReceiverStats stats;

    /** Counters exposed under {@code /api/stats}. */
    static final class ReceiverStats {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong badRequests = new AtomicLong();
        final AtomicLong oversize = new AtomicLong();
        final AtomicLong unauthorized = new AtomicLong();
        final AtomicLong busy = new AtomicLong();
        final AtomicLong rejectedItems = new AtomicLong();
        final AtomicLong listenerErrors = new AtomicLong();
        final IngestLimits.Dropped dropped = new IngestLimits.Dropped();

        Map<String, Object> snapshot() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", requests.get());
            m.put("badRequests", badRequests.get());
            m.put("oversize", oversize.get());
            m.put("unauthorized", unauthorized.get());
            m.put("busy", busy.get());
            m.put("rejectedItems", rejectedItems.get());
            m.put("listenerErrors", listenerErrors.get());
            m.put("dropped", dropped.snapshot());
            return m;
        }
    }

    OtlpReceiver(
            Signal signal,
            TelemetryStore store,
            List<TelemetryListener> listeners,
            byte[] token,
            IngestLimits limits,
            IngestGate gate,
            ReceiverStats stats) {
        this.signal = signal;
        this.store = store;
        this.listeners = listeners;
        this.token = token;
        this.limits = limits;
        this.gate = gate;
        this.stats = stats;
    }

    @Override
    public void handle(Exchange ex) throws IOException {
        stats.requests.incrementAndGet();
        if (!"POST".equals(ex.method())) {
            ex.setHeader("Allow", "POST");
            HttpSupport.sendText(ex, 405, "OTLP endpoints accept POST only");
            return;
        }
        if (!HttpSupport.authorized(ex, token)) {
            stats.unauthorized.incrementAndGet();
            HttpSupport.sendText(ex, 401, "missing or wrong access token (send 'Authorization: Bearer <token>')");
            return;
        }
        String contentType = contentType(ex);
        boolean json = contentType.equals("application/json");
        if (!json && !contentType.equals("application/x-protobuf")) {
            stats.badRequests.incrementAndGet();
            HttpSupport.sendText(
                    ex,
                    415,
                    "unsupported Content-Type '" + contentType + "': use application/x-protobuf or application/json");
            return;
        }
        int maxBodyBytes = limits.maxRequestBytes();
        long declared = ex.contentLength();
        if (declared > maxBodyBytes) {
            tooLarge(ex, json, declared + " bytes");
            return;
        }
        String encoding = ex.header("Content-Encoding");
        boolean gzip = encoding != null && encoding.equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.equalsIgnoreCase("identity")) {
            badRequest(ex, json, "unsupported Content-Encoding '" + encoding + "': use gzip or none");
            return;
        }
        // what this request may hold in memory while it is read, decoded and converted
        int weight = gzip || declared < 0 ? maxBodyBytes : (int) declared;
        if (!gate.enter(weight)) {
            stats.busy.incrementAndGet();
            ex.setHeader("Retry-After", "1");
            status(ex, 503, json, "console busy: too many OTLP requests in flight, retry later");
            return;
        }
        try {
            ingest(ex, json, gzip, maxBodyBytes);
        } finally {
            gate.leave(weight);
        }
    }

    private void ingest(Exchange ex, boolean json, boolean gzip, int maxBodyBytes) throws IOException {
        ex.guardBodyRate(MIN_BODY_BYTES_PER_SECOND);
        byte[] body;
        try {
            body = HttpSupport.readBounded(ex.body(), maxBodyBytes);
        } finally {
            ex.bodyRead();
        }
        if (body == null) {
            tooLarge(ex, json, "more than " + maxBodyBytes + " bytes");
            return;
        }
        if (gzip) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = HttpSupport.readBounded(in, maxBodyBytes);
            } catch (IOException e) {
                badRequest(ex, json, "invalid gzip body: " + e.getMessage());
                return;
            }
            if (body == null) {
                tooLarge(ex, json, "more than " + maxBodyBytes + " bytes after gzip decompression");
                return;
            }
        }
        byte[] response;
        try {
            response = export(body, json);
        } catch (InvalidProtocolBufferException e) {
            badRequest(ex, false, "invalid OTLP protobuf payload for /v1/" + path() + ": " + e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            badRequest(ex, json, "invalid OTLP payload for /v1/" + path() + ": " + e.getMessage());
            return;
        }
        HttpSupport.send(ex, 200, json ? "application/json" : "application/x-protobuf", response);
    }

    /**
     * Decodes one export request, stores what it holds, tells the listeners, and returns the encoded
     * response (with partial success when items were rejected); shared by OTLP/HTTP and OTLP/gRPC.
     *
     * @throws InvalidProtocolBufferException for undecodable protobuf
     * @throws IllegalArgumentException for undecodable JSON
     */
    byte[] export(byte[] body, boolean json) throws IOException {
        return switch (signal) {
            case TRACES -> traces(body, json);
            case LOGS -> logs(body, json);
            case METRICS -> metrics(body, json);
        };
    }

    Signal signal() {
        return signal;
    }

    private String path() {
        return signal.name().toLowerCase(Locale.ROOT);
    }

    private byte[] traces(byte[] body, boolean json) throws IOException {
        ExportTraceServiceRequest req = json
                ? parseJson(body, ExportTraceServiceRequest.newBuilder())
                : ExportTraceServiceRequest.parseFrom(body);
        OtlpConverter.Result<ConsoleSpan> r = OtlpConverter.spans(req, limits, stats.dropped);
        List<ConsoleSpan> stored = store.addSpans(r.accepted());
        notify(l -> l.onSpans(stored), stored.isEmpty());
        ExportTraceServiceResponse.Builder resp = ExportTraceServiceResponse.newBuilder();
        if (r.rejected() > 0) {
            stats.rejectedItems.addAndGet(r.rejected());
            resp.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(r.rejected())
                    .setErrorMessage(r.firstError()));
        }
        return encode(resp.build(), json, "rejectedSpans", r);
    }

    private byte[] logs(byte[] body, boolean json) throws IOException {
        ExportLogsServiceRequest req = json
                ? parseJson(body, ExportLogsServiceRequest.newBuilder())
                : ExportLogsServiceRequest.parseFrom(body);
        OtlpConverter.Result<ConsoleLog> r = OtlpConverter.logs(req, limits, stats.dropped);
        List<ConsoleLog> stored = store.addLogs(r.accepted());
        notify(l -> l.onLogs(stored), stored.isEmpty());
        ExportLogsServiceResponse.Builder resp = ExportLogsServiceResponse.newBuilder();
        if (r.rejected() > 0) {
            stats.rejectedItems.addAndGet(r.rejected());
            resp.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(r.rejected())
                    .setErrorMessage(r.firstError()));
        }
        return encode(resp.build(), json, "rejectedLogRecords", r);
    }

    private byte[] metrics(byte[] body, boolean json) throws IOException {
        ExportMetricsServiceRequest req = json
                ? parseJson(body, ExportMetricsServiceRequest.newBuilder())
                : ExportMetricsServiceRequest.parseFrom(body);
        OtlpConverter.Result<ConsoleMetricPoint> r = OtlpConverter.metrics(req, limits, stats.dropped);
        List<ConsoleMetricPoint> stored = store.addMetrics(r.accepted());
        notify(l -> l.onMetrics(stored), stored.isEmpty());
        ExportMetricsServiceResponse.Builder resp = ExportMetricsServiceResponse.newBuilder();
        if (r.rejected() > 0) {
            stats.rejectedItems.addAndGet(r.rejected());
            resp.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(r.rejected())
                    .setErrorMessage(r.firstError()));
        }
        return encode(resp.build(), json, "rejectedDataPoints", r);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parseJson(byte[] body, Message.Builder builder) {
        OtlpJson.merge(body, builder);
        return (T) builder.build();
    }

    private void notify(java.util.function.Consumer<TelemetryListener> call, boolean empty) {
        if (empty) {
            return;
        }
        for (TelemetryListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                stats.listenerErrors.incrementAndGet(); // an analyser bug must not fail the exporter
            }
        }
    }

    private static byte[] encode(Message resp, boolean json, String rejectedField, OtlpConverter.Result<?> r)
            throws IOException {
        if (!json) {
            return resp.toByteArray();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (r.rejected() > 0) {
            Map<String, Object> ps = new LinkedHashMap<>();
            ps.put(rejectedField, Long.toString(r.rejected())); // int64 as a string, per the JSON mapping
            ps.put("errorMessage", r.firstError());
            body.put("partialSuccess", ps);
        }
        return HttpSupport.JSON.writeValueAsBytes(body);
    }

    private void tooLarge(Exchange ex, boolean json, String size) throws IOException {
        stats.oversize.incrementAndGet();
        // read and drop what the client is still sending (bounded in time, not bytes), so that a
        // client writing its whole body first reads the 413 instead of a connection reset
        long deadline = System.nanoTime() + DRAIN_NANOS;
        try {
            InputStream rest = ex.body();
            byte[] sink = new byte[64 * 1024];
            while (System.nanoTime() < deadline && rest.read(sink) >= 0) {
                // dropped
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or stalled: the answer below fails quietly too
        }
        status(ex, 413, json, "payload too large: " + size + " (limit " + limits.maxRequestBytes() + " bytes)");
    }

    private void badRequest(Exchange ex, boolean json, String message) throws IOException {
        stats.badRequests.incrementAndGet();
        status(ex, 400, json, message);
    }

    /** Error body: a google.rpc.Status in the request's encoding (OTLP/HTTP failure responses). */
    private static void status(Exchange ex, int http, boolean json, String message) throws IOException {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", INVALID_ARGUMENT);
            m.put("message", message);
            HttpSupport.sendJson(ex, http, m);
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeInt32(1, INVALID_ARGUMENT); // Status.code
        out.writeString(2, message); // Status.message
        out.flush();
        HttpSupport.send(ex, http, "application/x-protobuf", bytes.toByteArray());
    }

    private static String contentType(Exchange ex) {
        String ct = ex.header("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
