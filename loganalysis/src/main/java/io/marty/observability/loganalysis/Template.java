package io.marty.observability.loganalysis;

import java.util.Objects;

/**
 * A log template: its id, its text with {@code <*>} in place of variable parts, and how many lines
 * it had when this value was taken. The one template type of the log analysis: the miner's {@link
 * io.marty.observability.loganalysis.mining.TemplateMiner#templates() snapshot}, what a {@link
 * TemplateExtractor} returns, and what detectors see.
 *
 * <pre>{@code
 * TemplateMiner miner = TemplateMiner.builder().build();
 * miner.add("Invalid user admin from 10.0.0.1");
 * for (Template t : miner.templates()) {
 *     System.out.println(t.id() + " x" + t.count() + ": " + t.text());
 * }
 * }</pre>
 *
 * @param id stable identifier (the same for every line of the template; a miner's merged ids
 *     resolve through {@link TemplateExtractor#finalId(long)})
 * @param text template text, for example {@code "Login failed for user <*> from <*>"}
 * @param count lines assigned to the template when the value was taken, 0 when its producer keeps
 *     no counts ({@link TemplateExtractor#simple()})
 */
public record Template(long id, String text, long count) {
    public Template {
        Objects.requireNonNull(text, "text");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }
}
