package io.marty.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MarkerFactory;

/**
 * An application whose first SLF4J call is {@code MarkerFactory} (Spring Boot's startup does this)
 * makes SLF4J configure Logback while {@code MarkerFactory} is still being initialised. The encoder
 * must not touch {@code MarkerFactory} while it is configured, or that recursive initialisation sees
 * a null factory and the application dies at startup. Runs in a child JVM so SLF4J starts fresh.
 */
class MarkerFirstStartupIT {

    /** The child: touches MarkerFactory before anything else, then logs a category line. */
    public static void main(String[] args) {
        MarkerFactory.getMarker("app.first");
        LoggerFactory.getLogger("child").info(LogCategory.BUSINESS.marker(), "started");
        ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    @Test
    void applicationWhoseFirstSlf4jCallIsMarkerFactoryStarts() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-Dlogback.configurationFile=logback-console-test.xml",
                        "-cp",
                        System.getProperty("java.class.path"),
                        MarkerFirstStartupIT.class.getName())
                .redirectErrorStream(true)
                .start();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertThat(finished).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("\"message\":\"started\"").contains("\"category\":\"business\"");
    }
}
