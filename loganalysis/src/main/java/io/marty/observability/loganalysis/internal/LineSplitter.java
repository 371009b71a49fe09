package io.marty.observability.loganalysis.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Unstable internal API. Splits a byte stream into UTF-8 lines ({@code \n} or {@code \r\n}) with a
 * bounded line buffer: a line longer than {@code maxLineBytes} is skipped up to its newline and
 * counted, so one huge line cannot exhaust memory.
 */
public final class LineSplitter {
    private final int maxLineBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(256);
    private boolean discarding;
    private long tooLong;
    private long lines;

    public LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    public void feed(byte[] buf, int off, int len, Consumer<String> out) {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                append(buf, start, i - start);
                emit(out);
                start = i + 1;
            }
        }
        append(buf, start, end - start);
    }

    private void append(byte[] buf, int off, int len) {
        if (len <= 0 || discarding) {
            return;
        }
        if (partial.size() + len > maxLineBytes) {
            discarding = true;
            partial.reset();
            return;
        }
        partial.write(buf, off, len);
    }

    private void emit(Consumer<String> out) {
        if (discarding) {
            discarding = false;
            tooLong++;
            return;
        }
        byte[] b = partial.toByteArray();
        partial.reset();
        int n = b.length;
        if (n > 0 && b[n - 1] == '\r') {
            n--;
        }
        lines++;
        out.accept(new String(b, 0, n, StandardCharsets.UTF_8));
    }

    /** Emits a last line without newline, if any (end of input, or a file rotated away). */
    public void finish(Consumer<String> out) {
        if (partial.size() > 0 || discarding) {
            emit(out);
        }
    }

    /** Drops a pending partial line (the file was truncated under it). */
    public void reset() {
        partial.reset();
        discarding = false;
    }

    public boolean hasPartial() {
        return partial.size() > 0;
    }

    public long tooLong() {
        return tooLong;
    }

    public long lines() {
        return lines;
    }
}
