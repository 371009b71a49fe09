package io.marty.observability.slo;

import io.marty.observability.spec.SpecException;
import org.jspecify.annotations.Nullable;

/**
 * A bad SLO definition. Built in code, the message names the field and the bad value
 * ({@code field 'objective': target 100.5% must be above 0% and below 100%}); loaded from YAML, it is
 * located like every {@link SpecException}, {@code <file>:<line>:<col>: <path.to.key>: <what is wrong>}
 * ({@code checkout.yaml:5:13: slos[0].target: target 100.5% must be above 0% and below 100%}).
 */
public final class SloSpecException extends SpecException {
    private static final long serialVersionUID = 1L;

    /** An error in code-built SLOs: {@code field 'objective': ...}. */
    public SloSpecException(@Nullable String field, String message) {
        super(field == null ? message : "field '" + field + "': " + message, null, 0, 0, field, message, null);
    }

    /** An error in a file; {@code line} 0 when unknown. */
    public SloSpecException(
            @Nullable String source, int line, @Nullable String field, String message, @Nullable Throwable cause) {
        super(format(source, line, 0, field, message), source, line, 0, field, message, cause);
    }

    /** The SLO form of a spec reader error, with the same message, location and path. */
    public SloSpecException(SpecException located) {
        super(
                located.getMessage(),
                located.source(),
                located.line(),
                located.column(),
                located.path(),
                located.reason(),
                located);
    }

    /** The offending field (a path like {@code slos[0].target} when loaded from YAML), or null. */
    public @Nullable String field() {
        return path().isEmpty() ? null : path();
    }
}
