package io.marty.observability.loganalysis.mining;

/**
 * A snapshot of one mined template.
 *
 * @param id the template id (stable; see {@link MatchResult})
 * @param template the template text, tokens separated by one space, {@code <*>} for variables
 * @param count how many lines were assigned to it (including lines of templates merged into it)
 */
public record LogTemplate(long id, String template, long count) {}
