package io.marty.observability.slo.internal;

/** Tiny helpers for writing stable YAML by hand. */
public final class Yaml {
    private Yaml() {}

    /** Single-quoted YAML scalar. */
    public static String q(String s) {
        return io.marty.observability.spec.YamlText.quote(s);
    }

    /** Indents every line of a multi-line string. */
    public static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                sb.append(pad).append(line);
            }
            sb.append('\n');
        }
        // split keeps a trailing empty element for text ending in a newline
        return text.endsWith("\n") ? sb.substring(0, sb.length() - 1) : sb.toString();
    }
}
