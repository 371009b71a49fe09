package io.marty.observability.loganalysis;

import java.util.Objects;

/**
 * A log template: a stable id and the template text with {@code <*>} in place of variable parts.
 *
 * @param id stable identifier of the template (same id for every line of the template)
 * @param text template text, for example {@code "Login failed for user <*> from <*>"}
 */
public record Template(String id, String text) {
    public Template {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }
}
