package io.marty.observability.loganalysis;

/**
 * Maps a log message to its template. The analyzer calls it once per event, from one thread at a
 * time; implementations may learn (merge templates) as lines arrive but must keep memory bounded.
 *
 * <p>{@link #simple()} masks tokens holding digits; the template miner of package {@code
 * io.marty.observability.loganalysis.mining} is the accurate choice for plain-text logs.
 */
@FunctionalInterface
public interface TemplateExtractor {

    /** Returns the template of {@code message}; never null. */
    Template extract(String message);

    /** A stateless extractor that replaces every token containing a digit by {@code <*>}. */
    static TemplateExtractor simple() {
        return io.marty.observability.loganalysis.internal.SimpleTemplates::extract;
    }
}
