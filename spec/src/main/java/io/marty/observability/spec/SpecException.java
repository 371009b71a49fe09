package io.marty.observability.spec;

import org.jspecify.annotations.Nullable;

/**
 * A mistake in a spec file, located where the user can find it. The message is
 * {@code <file>:<line>:<col>: <path.to.key>: <what is wrong>}, for example
 * {@code rules.yaml:7:13: rules[2].window: '5x': unknown unit 'x' (use ms, s, m, h, d, w or ISO-8601 like PT5M)}.
 * Parts that are unknown are left out ({@code rules.yaml: duplicate rule 'a'} when there is no line).
 * Modules may subclass it for their own spec type ({@code SloSpecException}) so that one {@code catch}
 * handles every spec error.
 */
public class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String source;
    private final int line;
    private final int column;
    private final String path;
    private final String reason;

    /**
     * @param source file name or other label of the text, or null
     * @param line 1-based line, 0 when unknown
     * @param column 1-based column, 0 when unknown
     * @param path the key's path ({@code slos[0].target}), empty or null for the whole document
     * @param reason what is wrong, naming the bad value
     */
    public SpecException(
            @Nullable String source,
            int line,
            int column,
            @Nullable String path,
            String reason,
            @Nullable Throwable cause) {
        this(format(source, line, column, path, reason), source, line, column, path, reason, cause);
    }

    /** For subclasses that word the message themselves; {@link #format} gives the standard one. */
    protected SpecException(
            String message,
            @Nullable String source,
            int line,
            int column,
            @Nullable String path,
            String reason,
            @Nullable Throwable cause) {
        super(message, cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.path = path == null ? "" : path;
        this.reason = reason;
    }

    /** {@code <source>:<line>:<col>: <path>: <reason>}, leaving out the unknown parts. */
    protected static String format(
            @Nullable String source, int line, int column, @Nullable String path, String reason) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        }
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(reason).toString();
    }

    /** File name or other label of the text, or null. */
    public @Nullable String source() {
        return source;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** Path of the offending key ({@code rules[2].window}); empty for the whole document. */
    public String path() {
        return path;
    }

    /** What is wrong, without the location prefix. */
    public String reason() {
        return reason;
    }
}
