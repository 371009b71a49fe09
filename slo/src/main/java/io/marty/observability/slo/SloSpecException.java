package io.marty.observability.slo;

/**
 * A bad SLO definition. The message names the source (file and line when loaded from YAML), the field
 * and the bad value, e.g. {@code checkout.yaml:7: field 'objective': target 100.5% must be above 0% and
 * below 100%}.
 */
public final class SloSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String field;

    public SloSpecException(String field, String message) {
        this(null, 0, field, message, null);
    }

    public SloSpecException(String source, int line, String field, String message, Throwable cause) {
        super(format(source, line, field, message), cause);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    private static String format(String source, int line, String field, String message) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (field != null) {
            sb.append("field '").append(field).append("': ");
        }
        return sb.append(message).toString();
    }

    /** File or other source name, or null when built in code. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The offending field, or null. */
    public String field() {
        return field;
    }

    /** The message without the source/line/field prefix. */
    public String reason() {
        String m = getMessage();
        String prefix = format(source, line, field, "");
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
