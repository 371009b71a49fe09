package io.marty.observability.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}, found with {@link
 * ExternalTools#require}) on 127.0.0.1 and an ephemeral port, with a route to a receiver that drops
 * everything, so tests can post alerts and read them back through the v2 API.
 *
 * <pre>{@code
 * try (LocalAlertmanager am = LocalAlertmanager.start(tempDir)) {
 *     sink = AlertmanagerAlertSink.builder(am.baseUri()).build();
 *     ...
 *     String alertsJson = am.alertsJson();   // GET /api/v2/alerts
 * }
 * }</pre>
 */
public final class LocalAlertmanager implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final URI base;
    private final Path logFile;

    private LocalAlertmanager(Process process, URI base, Path logFile) {
        this.process = process;
        this.base = base;
        this.logFile = logFile;
    }

    /** Starts Alertmanager with its config, data and log under {@code dir}; waits up to 30 s for ready. */
    public static LocalAlertmanager start(Path dir) throws IOException, InterruptedException {
        Path binary = ExternalTools.require("prometheus-alertmanager");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("alertmanager.log");
        Process p = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalAlertmanager am = new LocalAlertmanager(p, URI.create("http://127.0.0.1:" + port), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("alertmanager exited: " + am.log());
            }
            try {
                HttpResponse<Void> r = HTTP.send(
                        HttpRequest.newBuilder(am.base.resolve("/-/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return am;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                am.close();
                throw new AssertionError("alertmanager not ready in 30 s: " + am.log());
            }
            Thread.sleep(100);
        }
    }

    /** The root URL, e.g. {@code http://127.0.0.1:40123}. */
    public URI baseUri() {
        return base;
    }

    /** The body of {@code GET /api/v2/alerts}: the alerts Alertmanager holds, as JSON. */
    public String alertsJson() throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(base.resolve("/api/v2/alerts"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** What Alertmanager printed so far (for assertion messages). */
    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the process (forcibly after 10 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
