package io.marty.observability.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Repository paths and checked-in generated files; the real tools run through core's {@code ExternalTools}. */
final class Tools {
    /** The repository root (tests run in the module directory). */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Tools() {}

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
