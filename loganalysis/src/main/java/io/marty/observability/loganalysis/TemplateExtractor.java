package io.marty.observability.loganalysis;

import io.marty.observability.loganalysis.mining.MatchResult;
import io.marty.observability.loganalysis.mining.TemplateMiner;
import java.util.Objects;

/**
 * Maps a log message to its template. The analyzer calls it once per event, from one thread at a
 * time; implementations may learn (merge templates) as lines arrive but must keep memory bounded.
 *
 * <p>The analyzer's default is {@link #mining(TemplateMiner)} over a fresh {@link TemplateMiner}
 * (accurate for plain-text logs); {@link #simple()} only masks tokens holding digits.
 */
@FunctionalInterface
public interface TemplateExtractor {

    /** Returns the template of {@code message}; never null. */
    Template extract(String message);

    /**
     * The id a template ended up under after merges (the miner merges templates as evidence grows);
     * the summary aggregates counts by it. Default: the id itself.
     */
    default String finalId(String id) {
        return id;
    }

    /** The current text of a (possibly merged) template, or null if unknown. Default: null. */
    default String finalText(String id) {
        return null;
    }

    /** A stateless extractor that replaces every token containing a digit by {@code <*>}. */
    static TemplateExtractor simple() {
        return io.marty.observability.loganalysis.internal.SimpleTemplates::extract;
    }

    /**
     * Templates from the online miner: the id is the miner's template id (as text), the text the
     * template as currently known ({@code <*>} for variables).
     */
    static TemplateExtractor mining(TemplateMiner miner) {
        Objects.requireNonNull(miner, "miner");
        return new TemplateExtractor() {
            @Override
            public Template extract(String message) {
                MatchResult r = miner.add(message);
                return new Template(Long.toString(r.templateId()), r.template());
            }

            @Override
            public String finalId(String id) {
                try {
                    return Long.toString(miner.finalIdOf(Long.parseLong(id)));
                } catch (NumberFormatException e) {
                    return id;
                }
            }

            @Override
            public String finalText(String id) {
                try {
                    return miner.finalTemplateOf(Long.parseLong(id)).orElse(null);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        };
    }
}
