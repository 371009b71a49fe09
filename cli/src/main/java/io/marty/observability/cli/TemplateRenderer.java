package io.marty.observability.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * Renders the generator's templates: {@code {{key}}} is replaced by its value, and a line holding only
 * {@code {{#flag}}} / {@code {{^flag}}} starts a block kept when the flag is set / not set, up to the
 * line {@code {{/flag}}}. A key without a value or an unclosed block is a bug in the template and
 * throws {@link IllegalStateException} naming the template.
 */
final class TemplateRenderer {
    private final Map<String, String> values;
    private final Set<String> flags;

    TemplateRenderer(Map<String, String> values, Set<String> flags) {
        this.values = Map.copyOf(values);
        this.flags = Set.copyOf(flags);
    }

    /** Renders {@code template} (the text of the resource {@code name}). */
    String render(String name, String template) {
        StringBuilder out = new StringBuilder(template.length() + 256);
        Deque<String> open = new ArrayDeque<>();
        Deque<Boolean> keep = new ArrayDeque<>();
        keep.push(true);
        int lineNo = 0;
        for (String line : template.split("\n", -1)) {
            lineNo++;
            String t = line.strip();
            if (t.startsWith("{{#") || t.startsWith("{{^")) {
                String flag = blockName(name, lineNo, t);
                open.push(flag);
                keep.push(keep.peek() && (flags.contains(flag) == (t.charAt(2) == '#')));
                continue;
            }
            if (t.startsWith("{{/")) {
                String flag = blockName(name, lineNo, t);
                if (open.isEmpty() || !open.pop().equals(flag)) {
                    throw new IllegalStateException(name + ":" + lineNo + ": {{/" + flag + "}} closes no open block");
                }
                keep.pop();
                continue;
            }
            if (keep.peek()) {
                out.append(substitute(name, lineNo, line)).append('\n');
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException(name + ": block {{#" + open.peek() + "}} is not closed");
        }
        out.setLength(out.length() - 1); // the split added one line end too many
        return out.toString();
    }

    /** Replaces the {@code {{key}}} in a single line (also used for the target paths). */
    String substitute(String name, int lineNo, String line) {
        int start = line.indexOf("{{");
        if (start < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length() + 64);
        int from = 0;
        while (start >= 0) {
            int end = line.indexOf("}}", start);
            if (end < 0) {
                throw new IllegalStateException(name + ":" + lineNo + ": unclosed {{");
            }
            String key = line.substring(start + 2, end);
            String value = values.get(key);
            if (value == null) {
                throw new IllegalStateException(name + ":" + lineNo + ": no value for {{" + key + "}}");
            }
            out.append(line, from, start).append(value);
            from = end + 2;
            start = line.indexOf("{{", from);
        }
        return out.append(line, from, line.length()).toString();
    }

    private static String blockName(String name, int lineNo, String t) {
        if (!t.endsWith("}}") || t.length() < 6) {
            throw new IllegalStateException(name + ":" + lineNo + ": bad block line '" + t + "'");
        }
        return t.substring(3, t.length() - 2);
    }
}
