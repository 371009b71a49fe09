package io.marty.observability.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The code is built for Java 17; virtual threads need 21+. This test runs {@link
 * VirtualThreadProbe} in a child JVM of a newer JDK (MARTY_JDK21_HOME, else Temurin 25 at its
 * Debian path, else the running JVM when it is 21+). Skipped with a message when none is present.
 */
class VirtualThreadsIT {

    @Test
    void contextAndMdcReachVirtualThreads() throws Exception {
        Path java = findJava21();
        Assumptions.assumeTrue(java != null, "no JDK 21+ found (set MARTY_JDK21_HOME); virtual-thread test skipped");
        Path log = Files.createTempFile("vt-probe", ".log");
        try {
            Process p = new ProcessBuilder(
                            java.toString(),
                            "-Xmx64m",
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            System.getProperty("java.class.path"),
                            VirtualThreadProbe.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean finished = p.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(finished).as("probe finished in time; output:%n%s", out).isTrue();
            assertThat(p.exitValue()).as("probe output:%n%s", out).isZero();
            assertThat(out).contains("PROBE OK").doesNotContain("FAIL ");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Path findJava21() {
        String env = System.getenv("MARTY_JDK21_HOME");
        for (String home : List.of(
                env == null ? "" : env, "/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/temurin-21-jdk-amd64")) {
            if (!home.isEmpty()) {
                Path java = Paths.get(home, "bin", "java");
                if (new File(java.toString()).canExecute()) {
                    return java;
                }
            }
        }
        if (Runtime.version().feature() >= 21) {
            return Paths.get(System.getProperty("java.home"), "bin", "java");
        }
        return null;
    }
}
