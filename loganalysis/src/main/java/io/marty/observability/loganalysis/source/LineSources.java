package io.marty.observability.loganalysis.source;

import io.marty.observability.loganalysis.LogLineParser;
import io.marty.observability.loganalysis.internal.LineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads lines from a stream (stdin, a file, a socket) with a bounded line length: lines longer than
 * the limit are skipped and counted instead of growing a buffer without end.
 *
 * <pre>{@code
 * long skipped = LineSources.read(System.in, analyzer::acceptLine);
 * }</pre>
 */
public final class LineSources {
    private LineSources() {}

    /** Reads {@code in} to its end; returns the number of lines skipped as too long. */
    public static long read(InputStream in, Consumer<String> out) throws IOException {
        return read(in, out, LogLineParser.DEFAULT_MAX_LINE_LENGTH, bytes -> {});
    }

    /**
     * Reads {@code in} to its end, calling {@code progress} with the total bytes read after each chunk;
     * returns the number of lines skipped as longer than {@code maxLineLength} bytes.
     */
    public static long read(InputStream in, Consumer<String> out, int maxLineLength, LongConsumer progress)
            throws IOException {
        LineSplitter splitter = new LineSplitter(maxLineLength);
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            splitter.feed(buf, 0, n, out);
            total += n;
            progress.accept(total);
        }
        splitter.finish(out);
        return splitter.tooLong();
    }
}
