package io.marty.observability.benchmarks.overhead;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A local OTLP/HTTP endpoint for the harness.
 *
 * <ul>
 *   <li>{@code --mode ok}: answers every POST with 200 and an empty protobuf body (a valid empty
 *       {@code Export*ServiceResponse}); counts requests and the spans in {@code /v1/traces} bodies by walking the
 *       protobuf wire format (no object decoding, so the sink stays cheap on a shared 2-core machine).
 *   <li>{@code --mode blackhole}: accepts TCP connections and never reads or answers (a hung collector).
 * </ul>
 *
 * <p>A refused endpoint needs no process: the harness points the exporter at a port nothing listens on. Prints
 * {@code LISTENING <port>}; on stdin EOF or SIGTERM prints {@code SINK requests=N spans=N bytes=N}; in {@code ok}
 * mode {@code GET /stats} answers the same counters ({@code requests=N spans=N bytes=N}; requests count only POSTs).
 */
public final class OtlpSink {

    private static final AtomicLong requests = new AtomicLong();
    private static final AtomicLong spans = new AtomicLong();
    private static final AtomicLong bytes = new AtomicLong();

    private OtlpSink() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int port = args.getInt("port", 4318);
        String mode = args.get("mode", "ok");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("SINK " + counters())));
        switch (mode) {
            case "ok" -> serve(port);
            case "blackhole" -> blackhole(port);
            default -> throw new IllegalArgumentException("--mode must be ok or blackhole, got '" + mode + "'");
        }
    }

    private static String counters() {
        return "requests=" + requests.get() + " spans=" + spans.get() + " bytes=" + bytes.get();
    }

    private static void serve(int port) throws IOException, InterruptedException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.createContext("/", OtlpSink::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        Thread.currentThread().join();
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestMethod().equals("GET")
                    && ex.getRequestURI().getPath().equals("/stats")) {
                // the harness reads the counters around every run and measured window
                byte[] stats = counters().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, stats.length);
                ex.getResponseBody().write(stats);
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            bytes.addAndGet(body.length);
            if (ex.getRequestURI().getPath().endsWith("/v1/traces")) {
                // array-backed reading unless compressed: the sink stands in for a remote collector, so its
                // CPU on the shared benchmark machine should stay small
                CodedInputStream in =
                        "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
                                ? CodedInputStream.newInstance(new GZIPInputStream(new ByteArrayInputStream(body)))
                                : CodedInputStream.newInstance(body);
                try {
                    spans.addAndGet(countSpans(in));
                } catch (IOException e) {
                    System.err.println("undecodable /v1/traces body: " + e);
                }
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
        }
    }

    /** ExportTraceServiceRequest: resource_spans(1) → scope_spans(2) → spans(2). */
    static long countSpans(CodedInputStream in) throws IOException {
        return countNested(in, new int[] {1, 2, 2}, 0);
    }

    private static long countNested(CodedInputStream in, int[] path, int depth) throws IOException {
        long n = 0;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return n;
            }
            if (WireFormat.getTagFieldNumber(tag) == path[depth]
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                if (depth == path.length - 1) {
                    in.skipField(tag);
                    n++;
                } else {
                    int limit = in.pushLimit(in.readRawVarint32());
                    n += countNested(in, path, depth + 1);
                    in.popLimit(limit);
                }
            } else {
                in.skipField(tag);
            }
        }
    }

    private static void blackhole(int port) throws IOException {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket ss = new ServerSocket(port, 1024, InetAddress.getLoopbackAddress())) {
            System.out.println("LISTENING " + ss.getLocalPort());
            while (true) {
                Socket s = ss.accept();
                requests.incrementAndGet(); // here: connections accepted and never answered
                held.add(s);
            }
        }
    }
}
