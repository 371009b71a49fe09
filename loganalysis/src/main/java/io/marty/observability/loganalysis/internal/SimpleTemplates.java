package io.marty.observability.loganalysis.internal;

import io.marty.observability.loganalysis.Template;

/** Unstable internal API. The trivial template extractor: tokens holding a digit become {@code <*>}. */
public final class SimpleTemplates {
    private SimpleTemplates() {}

    public static Template extract(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        int i = 0;
        int n = message.length();
        while (i < n) {
            char c = message.charAt(i);
            if (Character.isWhitespace(c)) {
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
                    sb.append(' ');
                }
                i++;
                continue;
            }
            int start = i;
            boolean digit = false;
            while (i < n && !Character.isWhitespace(message.charAt(i))) {
                digit |= Character.isDigit(message.charAt(i));
                i++;
            }
            if (digit) {
                sb.append("<*>");
            } else {
                sb.append(message, start, i);
            }
        }
        String text = sb.toString().strip();
        return new Template(Hashing.id(text), text, 0);
    }
}
