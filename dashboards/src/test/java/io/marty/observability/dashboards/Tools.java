package io.marty.observability.dashboards;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Finds and runs the real Prometheus tools; skips without them only outside CI. */
final class Tools {
    /** The repository root (tests run in the module directory). */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Tools() {}

    record Result(int exitCode, String output) {}

    static Path require(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (System.getenv("CI") != null) {
            fail(binary + " not found on PATH, and CI is set: install prometheus / prometheus-alertmanager");
        }
        Assumptions.abort(binary + " not installed (apt-get install prometheus prometheus-alertmanager)");
        return null;
    }

    static Result run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
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
            fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        try {
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * Asserts {@code file} holds {@code expected}; with {@code -Dmmf.regenerate=true} writes it instead
     * (how the checked-in generated files under deploy/ and docs/runbooks/ are refreshed).
     */
    static void assertGenerated(Path file, String expected) throws IOException {
        if (Boolean.getBoolean("mmf.regenerate")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, expected);
        }
        org.assertj.core.api.Assertions.assertThat(file)
                .as("%s is out of date: run the dashboards tests with -Dmmf.regenerate=true", REPO.relativize(file))
                .exists();
        org.assertj.core.api.Assertions.assertThat(Files.readString(file))
                .as("%s is out of date: run the dashboards tests with -Dmmf.regenerate=true", REPO.relativize(file))
                .isEqualTo(expected);
    }
}
