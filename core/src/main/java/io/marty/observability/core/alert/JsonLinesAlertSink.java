package io.marty.observability.core.alert;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes each alert as one JSON object per line ({@link Alert#toMap()}), flushed per alert.
 *
 * <pre>{@code
 * LogAnalyzer.builder().addSink(JsonLinesAlertSink.toFile(Path.of("alerts.jsonl"))).build();
 * }</pre>
 */
public final class JsonLinesAlertSink implements AlertSink {
    private final Writer out;
    private final boolean closeOut;
    private long failures;

    private JsonLinesAlertSink(Writer out, boolean closeOut) {
        this.out = out;
        this.closeOut = closeOut;
    }

    /** Writes to {@code out} (not closed by {@link #close()}). */
    public static JsonLinesAlertSink of(Writer out) {
        return new JsonLinesAlertSink(out, false);
    }

    /** Writes to standard output. */
    public static JsonLinesAlertSink stdout() {
        return of(new OutputStreamWriter(new NonClosing(System.out), StandardCharsets.UTF_8));
    }

    /** Appends to {@code file} (created if missing). */
    public static JsonLinesAlertSink toFile(Path file) {
        try {
            return new JsonLinesAlertSink(
                    Files.newBufferedWriter(
                            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open alert output " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JSON line of an alert (no trailing newline). */
    public static String toJson(Alert alert) {
        return alert.toJson();
    }

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public synchronized void send(Alert alert) {
        try {
            out.write(toJson(alert));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            failures++;
            throw new UncheckedIOException(e);
        }
    }

    /** Alerts that could not be written. */
    public synchronized long failures() {
        return failures;
    }

    @Override
    public synchronized void close() {
        try {
            out.flush();
            if (closeOut) {
                out.close();
            }
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
