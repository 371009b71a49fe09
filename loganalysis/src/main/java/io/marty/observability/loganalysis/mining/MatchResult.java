package io.marty.observability.loganalysis.mining;

/**
 * What {@link TemplateMiner#add(String)} returns for one line.
 *
 * <p>{@code templateId} is stable for the life of the template: a line that arrives later with the
 * same message shape gets the same id. When two templates merge, the absorbed id keeps resolving to
 * the surviving template through {@link TemplateMiner#finalIdOf(long)} and {@link
 * TemplateMiner#finalTemplateOf(long)}, so store the id per line and resolve it at the end.
 *
 * @param templateId id of the template the line was assigned to
 * @param template the template text at the time of the match ({@code <*>} marks variables)
 * @param count lines of the template so far, this one included
 * @param created whether this line created a new template
 */
public record MatchResult(long templateId, String template, long count, boolean created) {}
