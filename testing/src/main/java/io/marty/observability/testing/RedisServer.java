package io.marty.observability.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} for one test class: a child process on a free port of 127.0.0.1
 * with no persistence (no RDB snapshots, no AOF), started and awaited ({@code PING} answered) within
 * {@value #START_SECONDS} s; {@link #close()} stops it by its PID. A missing installation fails the test
 * with how to install it ({@code apt-get install redis-server}).
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisClient client = RedisClient.create(redis.uri());
 *     ...
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
    static final int START_SECONDS = 30;

    private final Process process;
    private final Path dir;
    private final int port;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server; fails when redis-server is not installed or does not answer in time. */
    public static RedisServer start() throws IOException, InterruptedException {
        Path binary = ExternalTools.requireInstalled("redis-server", "install Redis (apt-get install redis-server)");
        Path dir = Files.createTempDirectory("marty-redis");
        int port = ExternalTools.freeLoopbackPort();
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RedisServer server = new RedisServer(process, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!server.ping()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("redis.log"), StandardCharsets.UTF_8);
                server.close();
                throw new AssertionError("redis-server did not answer PING on 127.0.0.1:" + port + " within "
                        + START_SECONDS + " s:\n" + log);
            }
            Thread.sleep(50);
        }
        return server;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    private boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server by its PID (SIGTERM, then SIGKILL after 10 s) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        dir.resolve("redis.log").toFile().delete();
        dir.toFile().delete();
    }
}
