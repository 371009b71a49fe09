package io.marty.observability.console.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP receiver for one signal ({@code /v1/traces}, {@code /v1/logs} or {@code /v1/metrics}):
 * binary protobuf or JSON, optionally gzip-compressed. Follows the OTLP/HTTP spec: 200 with a
 * partial-success body when some items were rejected, 400 with a {@code google.rpc.Status} body
 * for undecodable payloads, 413 when the (decompressed) body exceeds the limit, 415 for other
 * content types.
 */
public final class OtlpReceiver implements HttpHandler {
    /** The three OTLP signals. */
    public enum Signal {
        TRACES,
        LOGS,
        METRICS
    }

    private static final int INVALID_ARGUMENT = 3;
    /** How much of a too-large body is read and dropped before answering 413. */
    private static final long DRAIN_LIMIT_BYTES = 16L * 1024 * 1024;

    private final Signal signal;
    private final TelemetryStore store;
    private final List<TelemetryListener> listeners;
    private final byte[] token;
    private final int maxBodyBytes;
    private final ReceiverStats stats;

    /** Counters exposed under {@code /api/stats}. */
    public static final class ReceiverStats {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong badRequests = new AtomicLong();
        final AtomicLong oversize = new AtomicLong();
        final AtomicLong unauthorized = new AtomicLong();
        final AtomicLong rejectedItems = new AtomicLong();
        final AtomicLong listenerErrors = new AtomicLong();

        public Map<String, Long> snapshot() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("requests", requests.get());
            m.put("badRequests", badRequests.get());
            m.put("oversize", oversize.get());
            m.put("unauthorized", unauthorized.get());
            m.put("rejectedItems", rejectedItems.get());
            m.put("listenerErrors", listenerErrors.get());
            return m;
        }
    }

    public OtlpReceiver(
            Signal signal,
            TelemetryStore store,
            List<TelemetryListener> listeners,
            byte[] token,
            int maxBodyBytes,
            ReceiverStats stats) {
        this.signal = signal;
        this.store = store;
        this.listeners = listeners;
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
        this.stats = stats;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            stats.requests.incrementAndGet();
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
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
                        "unsupported Content-Type '" + contentType
                                + "': use application/x-protobuf or application/json");
                return;
            }
            long declared = contentLength(ex);
            if (declared > maxBodyBytes) {
                tooLarge(ex, json, declared + " bytes");
                return;
            }
            byte[] body = HttpSupport.readBounded(ex.getRequestBody(), maxBodyBytes);
            if (body == null) {
                tooLarge(ex, json, "more than " + maxBodyBytes + " bytes");
                return;
            }
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
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
            } else if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                badRequest(ex, json, "unsupported Content-Encoding '" + encoding + "': use gzip or none");
                return;
            }
            byte[] response;
            try {
                response = switch (signal) {
                    case TRACES -> traces(body, json);
                    case LOGS -> logs(body, json);
                    case METRICS -> metrics(body, json);
                };
            } catch (InvalidProtocolBufferException e) {
                badRequest(ex, false, "invalid OTLP protobuf payload for /v1/" + path() + ": " + e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                badRequest(ex, json, "invalid OTLP payload for /v1/" + path() + ": " + e.getMessage());
                return;
            }
            HttpSupport.send(ex, 200, json ? "application/json" : "application/x-protobuf", response);
        }
    }

    private String path() {
        return signal.name().toLowerCase(Locale.ROOT);
    }

    private byte[] traces(byte[] body, boolean json) throws IOException {
        ExportTraceServiceRequest req = json
                ? parseJson(body, ExportTraceServiceRequest.newBuilder())
                : ExportTraceServiceRequest.parseFrom(body);
        OtlpConverter.Result<ConsoleSpan> r = OtlpConverter.spans(req);
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
        OtlpConverter.Result<ConsoleLog> r = OtlpConverter.logs(req);
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
        OtlpConverter.Result<ConsoleMetricPoint> r = OtlpConverter.metrics(req);
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

    private void tooLarge(HttpExchange ex, boolean json, String size) throws IOException {
        stats.oversize.incrementAndGet();
        // read (and drop) what the client is still sending, up to a bound: answering while the body
        // is unread makes the server close with unread data, and the client then sees a connection
        // reset instead of the 413
        try (InputStream rest = ex.getRequestBody()) {
            long left = DRAIN_LIMIT_BYTES;
            byte[] sink = new byte[8192];
            for (int n; left > 0 && (n = rest.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: the answer below fails quietly too
        }
        status(ex, 413, json, "payload too large: " + size + " (limit " + maxBodyBytes + " bytes)");
    }

    private void badRequest(HttpExchange ex, boolean json, String message) throws IOException {
        stats.badRequests.incrementAndGet();
        status(ex, 400, json, message);
    }

    /** Error body: a google.rpc.Status in the request's encoding (OTLP/HTTP failure responses). */
    private static void status(HttpExchange ex, int http, boolean json, String message) throws IOException {
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

    private static String contentType(HttpExchange ex) {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static long contentLength(HttpExchange ex) {
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            return cl == null ? -1 : Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
