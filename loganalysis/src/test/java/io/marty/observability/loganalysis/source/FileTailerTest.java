package io.marty.observability.loganalysis.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailerTest {
    @TempDir
    Path dir;

    private static void append(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void followsAppendsAndHoldsBackPartialLines() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = new ArrayList<>();
        try (FileTailer t = FileTailer.builder(log).build()) {
            assertThat(t.poll(lines::add)).isZero(); // file does not exist yet
            append(log, "one\ntw");
            t.poll(lines::add);
            assertThat(lines).containsExactly("one");
            append(log, "o\r\nthree\n");
            t.poll(lines::add);
            assertThat(lines).containsExactly("one", "two", "three");
        }
    }

    @Test
    void survivesRotationByRenameAndReadsTheOldFileToItsEnd() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = new ArrayList<>();
        try (FileTailer t = FileTailer.builder(log).build()) {
            append(log, "a1\na2\n");
            t.poll(lines::add);
            // The writer appends a last line, then the file is rotated and a new one created.
            append(log, "a3\n");
            Files.move(log, dir.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            t.poll(lines::add); // new file missing for a moment: keeps the old one
            append(log, "b1\nb2\n");
            t.poll(lines::add);
            assertThat(lines).containsExactly("a1", "a2", "a3", "b1", "b2");
            assertThat(t.rotations()).isEqualTo(1);
            append(log, "b3\n");
            t.poll(lines::add);
            assertThat(lines).endsWith("b3");
        }
    }

    @Test
    void rotationWhileTheNewFileAlreadyExists() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = new ArrayList<>();
        try (FileTailer t = FileTailer.builder(log).build()) {
            append(log, "old1\n");
            t.poll(lines::add);
            append(log, "old2 without newline");
            Files.move(log, dir.resolve("app.log.1"));
            append(log, "new1\n");
            t.poll(lines::add);
            assertThat(lines).containsExactly("old1", "old2 without newline", "new1");
        }
    }

    @Test
    void survivesTruncationInPlace() throws IOException {
        Path log = dir.resolve("app.log");
        List<String> lines = new ArrayList<>();
        try (FileTailer t = FileTailer.builder(log).build()) {
            append(log, "first line that is long\nsecond line that is long\n");
            t.poll(lines::add);
            // copytruncate: same inode, size back to 0, then new content.
            Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(log, "after\n");
            t.poll(lines::add);
            assertThat(lines).containsExactly("first line that is long", "second line that is long", "after");
            assertThat(t.truncations()).isEqualTo(1);
            assertThat(t.rotations()).isZero();
        }
    }

    @Test
    void startAtEndSkipsExistingContentAndLongLinesAreSkippedAndCounted() throws IOException {
        Path log = dir.resolve("app.log");
        append(log, "history\n");
        List<String> lines = new ArrayList<>();
        try (FileTailer t =
                FileTailer.builder(log).startAtEnd(true).maxLineLength(32).build()) {
            t.poll(lines::add);
            assertThat(lines).isEmpty();
            append(log, "x".repeat(100) + "\nshort\n");
            t.poll(lines::add);
            assertThat(lines).containsExactly("short");
            assertThat(t.linesTooLong()).isEqualTo(1);
        }
    }

    @Test
    void runStopsWhenAskedAndDeliversLinesFromAnotherThread() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        try (FileTailer t = FileTailer.builder(log)
                .pollInterval(java.time.Duration.ofMillis(20))
                .build()) {
            Thread th = new Thread(() -> {
                try {
                    t.run(lines::add, stop::get);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            th.start();
            append(log, "hello\n");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> lines.contains("hello"));
            stop.set(true);
            th.join(5000);
            assertThat(th.isAlive()).isFalse();
        }
    }

    @Test
    void lineSourcesReadStreamsWithBoundedLines() throws IOException {
        byte[] in = ("a\n" + "y".repeat(50) + "\nb\nlast").getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        long[] progress = {0};
        long tooLong = LineSources.read(new ByteArrayInputStream(in), lines::add, 20, b -> progress[0] = b);
        assertThat(lines).containsExactly("a", "b", "last");
        assertThat(tooLong).isEqualTo(1);
        assertThat(progress[0]).isEqualTo(in.length);
    }
}
