package io.marty.observability.slo;

import io.marty.observability.spec.SpecException;

/**
 * A bad SLO definition. Built in code, the message names the field and the bad value
 * ({@code field 'objective': target 100.5% must be above 0% and below 100%}); loaded from YAML, it is
 * located like every spec error, {@code <file>:<line>:<col>: <path.to.key>: <what is wrong>}
 * ({@code checkout.yaml:5:13: slos[0].target: target 100.5% must be above 0% and below 100%}).
 */
public final class SloSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String field;
    private final String reason;

    /** An error in code-built SLOs: {@code field 'objective': ...}. */
    public SloSpecException(String field, String message) {
        super(field == null ? message : "field '" + field + "': " + message);
        this.source = null;
        this.line = 0;
        this.column = 0;
        this.field = field;
        this.reason = message;
    }

    /** An error in a file; {@code line} 0 when unknown. */
    public SloSpecException(String source, int line, String field, String message, Throwable cause) {
        this(new SpecException(source, line, 0, field, message, null), cause);
    }

    /** The SLO form of a spec reader error, with the same message, location and path. */
    public SloSpecException(SpecException located) {
        this(located, located);
    }

    private SloSpecException(SpecException located, Throwable cause) {
        super(located.getMessage(), cause);
        this.source = located.source();
        this.line = located.line();
        this.column = located.column();
        this.field = located.path().isEmpty() ? null : located.path();
        this.reason = located.reason();
    }

    /** File or other source name, or null when built in code. */
    public String source() {
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

    /** The offending field (a path like {@code slos[0].target} when loaded from YAML), or null. */
    public String field() {
        return field;
    }

    /** The message without the location and field prefix. */
    public String reason() {
        return reason;
    }
}
