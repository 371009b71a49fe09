package io.marty.observability.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Finds and runs the real tools tests check artifacts with (promtool, amtool, prometheus): a missing
 * tool skips the test outside CI and fails it on CI ({@code CI} set), so a green CI run has really run them.
 *
 * <pre>{@code
 * ExternalTools.Result r = ExternalTools.run(dir, 60, "promtool", "test", "rules", "orders.rules.test.yml");
 * assertThat(r.exitCode()).as(r.output()).isZero();
 * }</pre>
 */
public final class ExternalTools {
    private ExternalTools() {}

    /** Exit code and combined stdout/stderr of a finished tool. */
    public record Result(int exitCode, String output) {}

    /** The executable {@code binary} on PATH; skips (or fails on CI) when it is not installed. */
    public static Path require(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError(
                    binary + " not found on PATH, and CI is set: install prometheus / prometheus-alertmanager");
        }
        // what Assumptions.abort throws: the test is skipped, never handed a null path
        throw new TestAbortedException(binary + " not installed (apt-get install prometheus prometheus-alertmanager)");
    }

    /**
     * The executable {@code binary} on PATH or in one of {@code moreDirs}; fails the test (also outside
     * CI) with {@code installHint} when it is not there: for servers a test cannot run without.
     */
    public static Path requireInstalled(String binary, String installHint, String... moreDirs) {
        List<String> dirs = new ArrayList<>(
                List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")));
        dirs.addAll(List.of(moreDirs));
        for (String dir : dirs) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(binary + " not found on PATH or in " + List.of(moreDirs) + ": " + installHint
                + " (scripts/test-all.sh installs it)");
    }

    /** A TCP port free on 127.0.0.1 right now, for a server a test starts. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs {@code command} (its first word found with {@link #require}) in {@code dir}, bounded in time. */
    public static Result run(Path dir, long timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, require(command[0]).toString());
        Path out = Files.createTempFile("marty-tool", ".txt");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        try {
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
