package io.marty.observability.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * How the commands read their input files and streams, and the one-line messages they print when
 * that fails: every message names the input and says what is wrong with it, never a Java class or
 * exception text.
 */
final class CliInput {

    /** Bytes looked at to tell a text log from a binary file. */
    static final int SNIFF_BYTES = 8192;

    /** Largest spec or rules file read whole. */
    static final long MAX_TEXT_FILE_BYTES = 16L << 20;

    private CliInput() {}

    /** Bad input: the message is one line naming the input, printed as it is. */
    static final class InputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads a spec or rules file whole as strict UTF-8. */
    static String readText(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_TEXT_FILE_BYTES) {
                throw new InputException(
                        file + ": too large (" + size + " bytes; at most " + MAX_TEXT_FILE_BYTES + ")");
            }
            if (Files.isDirectory(file)) {
                throw new InputException(file + ": is a directory, not a file");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (IOException e) {
            throw new InputException(describe(file.toString(), e));
        }
    }

    /**
     * Opens a log file or stdin ({@code -}) for reading, refusing input that looks binary (see {@link
     * #binaryReason}) unless {@code force}.
     */
    static InputStream openLog(String input, boolean force) throws IOException {
        InputStream raw = "-".equals(input) ? System.in : Files.newInputStream(Path.of(input));
        BufferedInputStream in = new BufferedInputStream(raw, SNIFF_BYTES * 2);
        if (force) {
            return in;
        }
        in.mark(SNIFF_BYTES);
        byte[] sample = in.readNBytes(SNIFF_BYTES);
        in.reset();
        String reason = binaryReason(sample, sample.length);
        if (reason != null) {
            in.close();
            throw new InputException(("-".equals(input) ? "stdin" : input)
                    + ": looks like a binary file, not a text log (" + reason + "); use --force to read it anyway");
        }
        return in;
    }

    /**
     * Why the first bytes of an input are not text, or null when they look like text: a NUL byte, or
     * more than 10% bytes that are neither UTF-8 nor usual text controls (tab, newline, carriage
     * return, form feed, escape for colours). Some invalid UTF-8 is allowed: logs in Latin-1 are text.
     */
    static String binaryReason(byte[] sample, int length) {
        int suspicious = 0;
        for (int i = 0; i < length; i++) {
            byte b = sample[i];
            if (b == 0) {
                return "NUL bytes in the first " + length + " bytes";
            }
            if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1b) {
                suspicious++;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(sample, 0, length);
        CharBuffer chars = CharBuffer.allocate(length);
        while (bytes.hasRemaining()) {
            CoderResult r = utf8.decode(bytes, chars, false);
            if (r.isError()) {
                suspicious += r.length();
                bytes.position(bytes.position() + r.length());
            } else {
                break; // underflow: done, or a sequence cut by the end of the sample
            }
        }
        return suspicious * 10 > length ? "mostly not UTF-8 text in the first " + length + " bytes" : null;
    }

    /** A one-line description of why {@code input} could not be read: {@code "<input>: <reason>"}. */
    static String describe(String input, IOException e) {
        return input + ": " + reason(input, e);
    }

    /** Why reading or writing {@code file} failed, in words. */
    static String reason(String file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (Files.isDirectory(Path.of(file))) {
            return "is a directory, not a file";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return oneLine(((FileSystemException) e).getReason());
        }
        return "input/output error";
    }

    /**
     * The one-line message for an exception escaping a command: input and spec errors say what is
     * wrong; anything else says only that the command failed (details with {@code MARTY_DEBUG=1}).
     */
    static String message(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof InputException) {
            return e.getMessage();
        }
        if (e instanceof IOException) {
            String file = e instanceof FileSystemException ? ((FileSystemException) e).getFile() : null;
            return file != null ? describe(file, (IOException) e) : "input/output error";
        }
        if (e instanceof IllegalArgumentException && e.getMessage() != null) {
            return oneLine(e.getMessage());
        }
        return "failed unexpectedly; set MARTY_DEBUG=1 to see the details";
    }

    /** Whether the exception is about the input (exit code 2) rather than a failure of the tool. */
    static boolean isInputError(Throwable e) {
        return e instanceof InputException
                || e instanceof IOException
                || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException;
    }

    /** The handler {@link MartyCli} installs for every command. */
    static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message(e));
        if (System.getenv("MARTY_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return isInputError(e) ? 2 : 1;
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return line.length() > 500 ? line.substring(0, 497) + "..." : line;
    }
}
