package io.marty.observability.benchmarks.probes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.Executors;
import javax.net.SocketFactory;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Posts one OTLP-sized body over OkHttp (the OTLP/HTTP exporter's sender) to a local JDK {@code
 * HttpServer}, with the socket's TCP_NODELAY off (OkHttp's and the OTel sender's default) and on, and
 * prints the time per request: shows the Nagle / delayed-ACK stall. Not a JMH benchmark.
 *
 * <pre>
 * java -Dsun.net.httpserver.nodelay=true -cp benchmarks/target/benchmarks.jar \
 *      io.marty.observability.benchmarks.probes.OkHttpNoDelayProbe 295293
 * </pre>
 */
public final class OkHttpNoDelayProbe {
    private OkHttpNoDelayProbe() {}

    public static void main(String[] args) throws Exception {
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        sink.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        sink.setExecutor(Executors.newSingleThreadExecutor());
        sink.start();
        byte[] body = new byte[args.length > 0 ? Integer.parseInt(args[0]) : 295_293];
        new Random(1).nextBytes(body);
        String url = "http://127.0.0.1:" + sink.getAddress().getPort() + "/v1/traces";
        for (boolean noDelay : new boolean[] {false, true, false, true}) {
            OkHttpClient client = new OkHttpClient.Builder()
                    .socketFactory(new NoDelay(noDelay))
                    .build();
            RequestBody rb = RequestBody.create(body, MediaType.get("application/x-protobuf"));
            for (int i = 0; i < 20; i++) { // warm-up
                client.newCall(new Request.Builder().url(url).post(rb).build())
                        .execute()
                        .close();
            }
            int n = 100;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                client.newCall(new Request.Builder().url(url).post(rb).build())
                        .execute()
                        .close();
            }
            System.out.printf(
                    "body %d B, TCP_NODELAY=%s: %d us/request%n",
                    body.length, noDelay, (System.nanoTime() - t) / n / 1000);
            client.connectionPool().evictAll();
        }
        sink.stop(0);
        System.exit(0);
    }

    static final class NoDelay extends SocketFactory {
        private final boolean on;

        NoDelay(boolean on) {
            this.on = on;
        }

        private Socket conf(Socket s) throws SocketException {
            s.setTcpNoDelay(on);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return conf(new Socket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return conf(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return conf(new Socket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return conf(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return conf(new Socket(host, port, local, localPort));
        }
    }
}
