package io.marty.observability.benchmarks.overhead;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.marty.observability.benchmarks.overhead.proto.HelloGrpc;
import io.marty.observability.benchmarks.overhead.proto.HelloRequest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Time to first successful response: launches the service command given after {@code --}, then polls
 * {@code 127.0.0.1:<port>} every millisecond until a request succeeds ({@code GET /hello} → 200, or one
 * {@code Hello/Say} call), prints {@code {"startup_ms":…}} and stops the service. The clock starts right before
 * the process is spawned, so JVM boot, class loading, instrumentation setup and the first request all count.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.marty.observability.benchmarks.overhead.StartupProbe --kind http --port 18080 \
 *     --log /tmp/svc.log -- java -cp benchmarks.jar ...BenchService --server jdk --port 18080
 * }</pre>
 */
public final class StartupProbe {

    private StartupProbe() {}

    public static void main(String[] argv) throws Exception {
        int sep = Arrays.asList(argv).indexOf("--");
        if (sep < 0 || sep == argv.length - 1) {
            throw new IllegalArgumentException("usage: StartupProbe --kind http|grpc --port P [--log F] -- command...");
        }
        Args args = Args.parse(Arrays.copyOfRange(argv, 0, sep));
        List<String> command = Arrays.asList(argv).subList(sep + 1, argv.length);
        String kind = args.require("kind");
        int port = args.getInt("port", 0);
        long timeoutMillis = (long) (args.getDouble("timeout", 60) * 1000);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectOutput(
                args.has("log")
                        ? ProcessBuilder.Redirect.to(new File(args.get("log", "")))
                        : ProcessBuilder.Redirect.DISCARD);

        long t0 = System.nanoTime();
        Process p = pb.start();
        long deadline = t0 + timeoutMillis * 1_000_000;
        boolean ok = false;
        try {
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (waitForAccept(port)) {
                    ok = "grpc".equals(kind) ? grpcCall(port) : httpGet(port);
                    if (ok) {
                        break;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            long elapsed = System.nanoTime() - t0;
            System.out.println(String.format(Locale.ROOT, "{\"startup_ms\":%.1f,\"ok\":%b}", elapsed / 1e6, ok));
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean waitForAccept(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 100);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean httpGet(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, head.length);
            return n == 12 && new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean grpcCall(int port) {
        ManagedChannel ch =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            HelloGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withWaitForReady()
                    .say(HelloRequest.newBuilder().setName("probe").build());
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            ch.shutdownNow();
        }
    }
}
