package io.marty.observability.loganalysis;

import io.marty.observability.loganalysis.mining.MatchResult;
import io.marty.observability.loganalysis.mining.TemplateMiner;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
    default long finalId(long id) {
        return id;
    }

    /** The current text of a (possibly merged) template, or null if unknown. Default: null. */
    default @Nullable String finalText(long id) {
        return null;
    }

    /** A stateless extractor that replaces every token containing a digit by {@code <*>}. */
    static TemplateExtractor simple() {
        return io.marty.observability.loganalysis.internal.SimpleTemplates::extract;
    }

    /**
     * Templates from the online miner: the miner's template id, the template as currently known
     * ({@code <*>} for variables) and its line count.
     */
    static TemplateExtractor mining(TemplateMiner miner) {
        Objects.requireNonNull(miner, "miner");
        return new TemplateExtractor() {
            @Override
            public Template extract(String message) {
                MatchResult r = miner.add(message);
                return new Template(r.templateId(), r.template(), r.count());
            }

            @Override
            public long finalId(long id) {
                return miner.finalIdOf(id);
            }

            @Override
            public String finalText(long id) {
                return miner.finalTemplateOf(id).orElse(null);
            }
        };
    }
}
