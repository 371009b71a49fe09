package io.marty.observability.loganalysis.source;

import io.marty.observability.loganalysis.LogLineParser;
import io.marty.observability.loganalysis.internal.LineSplitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Follows a log file like {@code tail -F}: survives rotation by rename (the old file is read to its
 * end, then the new file at the same path is followed from its start) and truncation in place
 * ({@code copytruncate}: reading restarts at offset 0). Detection compares the file identity
 * (device + inode, via {@link BasicFileAttributes#fileKey()}) and size at each poll. Lines longer than
 * {@code maxLineLength} bytes are skipped and counted. Not thread-safe: one thread polls.
 *
 * <pre>{@code
 * try (FileTailer tail = FileTailer.builder(Path.of("/var/log/app.json")).startAtEnd(true).build()) {
 *     tail.run(analyzer::acceptLine, () -> stopped);   // polls every 250 ms
 * }
 * }</pre>
 */
public final class FileTailer implements AutoCloseable {
    private final Path path;
    private final boolean startAtEnd;
    private final Duration pollInterval;
    private final LineSplitter splitter;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    private FileChannel channel;
    private Object fileKey;
    private long position;
    private boolean opened;
    private long rotations;
    private long truncations;

    private FileTailer(Builder b) {
        this.path = b.path;
        this.startAtEnd = b.startAtEnd;
        this.pollInterval = b.pollInterval;
        this.splitter = new LineSplitter(b.maxLineLength);
    }

    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /**
     * Reads every complete line available now (handling rotation and truncation) and hands each to
     * {@code out}; returns the number of lines read. A missing file is not an error (0 lines).
     */
    public int poll(Consumer<String> out) throws IOException {
        int[] count = {0};
        Consumer<String> counting = l -> {
            count[0]++;
            out.accept(l);
        };
        if (channel == null && !open(!opened && startAtEnd)) {
            return 0;
        }
        readAvailable(counting);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return count[0]; // rotated away, the new file is not there yet: keep the old one open
        }
        Object key = attrs.fileKey();
        if (key != null && fileKey != null && !key.equals(fileKey)) {
            // Rotation by rename: finish the old file, then follow the new one from its start.
            readAvailable(counting);
            splitter.finish(counting);
            closeChannel();
            rotations++;
            if (open(false)) {
                readAvailable(counting);
            }
        } else if (attrs.size() < position) {
            // Truncated in place: what we buffered belongs to the old content.
            truncations++;
            splitter.reset();
            position = 0;
            readAvailable(counting);
        }
        return count[0];
    }

    /** Polls until {@code stop} says so, sleeping {@code pollInterval} between empty polls. */
    public void run(Consumer<String> out, BooleanSupplier stop) throws IOException, InterruptedException {
        while (!stop.getAsBoolean()) {
            if (poll(out) == 0) {
                Thread.sleep(pollInterval.toMillis());
            }
        }
    }

    private boolean open(boolean atEnd) throws IOException {
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        opened = true;
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        fileKey = attrs.fileKey();
        position = atEnd ? channel.size() : 0;
        return true;
    }

    private void readAvailable(Consumer<String> out) throws IOException {
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                return;
            }
            position += n;
            splitter.feed(buffer.array(), 0, n, out);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
            channel = null;
        }
    }

    /** Times the file was replaced (rename rotation). */
    public long rotations() {
        return rotations;
    }

    /** Times the file shrank under us (truncation). */
    public long truncations() {
        return truncations;
    }

    /** Lines skipped for exceeding the maximum length. */
    public long linesTooLong() {
        return splitter.tooLong();
    }

    /** Byte offset read so far in the current file. */
    public long position() {
        return position;
    }

    @Override
    public void close() {
        closeChannel();
    }

    /** Builder for {@link FileTailer}. */
    public static final class Builder {
        private final Path path;
        private boolean startAtEnd;
        private Duration pollInterval = Duration.ofMillis(250);
        private int maxLineLength = LogLineParser.DEFAULT_MAX_LINE_LENGTH;

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path");
        }

        /** Start at the end of the existing file (like {@code tail -F}); default: from the start. */
        public Builder startAtEnd(boolean startAtEnd) {
            this.startAtEnd = startAtEnd;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** Longest line in bytes (default 64 KiB); longer lines are skipped and counted. */
        public Builder maxLineLength(int maxLineLength) {
            if (maxLineLength < 16) {
                throw new IllegalArgumentException("maxLineLength must be >= 16, got " + maxLineLength);
            }
            this.maxLineLength = maxLineLength;
            return this;
        }

        public FileTailer build() {
            return new FileTailer(this);
        }
    }
}
