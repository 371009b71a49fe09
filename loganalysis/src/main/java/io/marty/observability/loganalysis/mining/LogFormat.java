package io.marty.observability.loganalysis.mining;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits raw log lines into header fields and the message, using Drain's log-format syntax: field
 * names in angle brackets, literal text between them, one of them named {@code Content}.
 *
 * <pre>{@code
 * LogFormat f = LogFormat.parse("<Date> <Time> <Pid> <Level> <Component>: <Content>");
 * String msg = f.content("081109 203615 148 INFO dfs.DataNode$PacketResponder: Received block ...")
 *               .orElse(rawLine); // lines that do not fit the format are reported by the caller
 * }</pre>
 *
 * <p>Whitespace in the format matches one or more whitespace characters; {@code \\} escapes the
 * next character, as in Drain's formats ({@code sshd\\[<Pid>\\]}). A field normally ends where
 * the next literal starts; fields holding that character are still found (Drain's lazy matching)
 * under a per-line work budget, so a line that fits no way costs bounded time. Patterns are
 * compiled once; immutable and thread-safe.
 */
public final class LogFormat {
    private static final Pattern FIELD = Pattern.compile("<([A-Za-z_][A-Za-z0-9_]*)>");

    /** Match budget (characters read) of the Drain-style fallback per line. */
    private static final int FALLBACK_BUDGET = 200_000;

    private final String format;
    private final Pattern pattern;
    private final Pattern fallback;
    private final List<String> fields;

    private LogFormat(String format, Pattern pattern, Pattern fallback, List<String> fields) {
        this.format = format;
        this.pattern = pattern;
        this.fallback = fallback;
        this.fields = fields;
    }

    /**
     * Compiles {@code format}.
     *
     * @throws IllegalArgumentException naming the format when it has no {@code <Content>} field or a
     *     field twice
     */
    public static LogFormat parse(String format) {
        if (format == null || format.isBlank()) {
            throw new IllegalArgumentException("log format must not be empty");
        }
        Matcher m = FIELD.matcher(format);
        List<String> fields = new ArrayList<>();
        List<String> literals = new ArrayList<>(); // literals.get(i) precedes fields.get(i); one extra at the end
        int last = 0;
        while (m.find()) {
            literals.add(unescape(format.substring(last, m.start())));
            String name = m.group(1);
            if (fields.contains(name)) {
                throw new IllegalArgumentException("log format '" + format + "' names field <" + name + "> twice");
            }
            fields.add(name);
            last = m.end();
        }
        literals.add(unescape(format.substring(last)));
        StringBuilder regex = new StringBuilder("^");
        StringBuilder drain = new StringBuilder("^");
        for (int i = 0; i < fields.size(); i++) {
            appendLiteral(drain, literals.get(i));
            drain.append("(?<").append(fields.get(i)).append(">.*?)");
            appendLiteral(regex, literals.get(i));
            // A field stops at the first character of the literal after it (or at whitespace), so a
            // line that does not fit fails fast instead of backtracking through every split.
            String next = literals.get(i + 1);
            String value;
            if (next.isEmpty()) {
                value = i == fields.size() - 1 ? ".*" : ".*?";
            } else if (Character.isWhitespace(next.charAt(0))) {
                value = "\\S*";
            } else {
                value = "[^" + escapeInClass(next.charAt(0)) + "]*";
            }
            regex.append("(?<").append(fields.get(i)).append('>').append(value).append(')');
        }
        appendLiteral(regex, literals.get(fields.size()));
        regex.append('$');
        appendLiteral(drain, literals.get(fields.size()));
        drain.append('$');
        if (!fields.contains("Content")) {
            throw new IllegalArgumentException("log format '" + format + "' has no <Content> field");
        }
        return new LogFormat(
                format, Pattern.compile(regex.toString()), Pattern.compile(drain.toString()), List.copyOf(fields));
    }

    /** Drain's formats escape regex characters ({@code sshd\\[<Pid>\\]}); here they are plain text. */
    private static String unescape(String literal) {
        StringBuilder sb = new StringBuilder(literal.length());
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length()) {
                c = literal.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String escapeInClass(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }

    private static void appendLiteral(StringBuilder regex, String literal) {
        String[] parts = literal.split("\\s+", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("\\s+");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
    }

    /** The message part of {@code line}, or empty when the line does not fit the format. */
    public Optional<String> content(String line) {
        Matcher m = match(line);
        return m != null ? Optional.of(m.group("Content")) : Optional.empty();
    }

    /** All fields of {@code line} in format order, or empty when the line does not fit. */
    public Optional<Map<String, String>> fields(String line) {
        Matcher m = match(line);
        if (m == null) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : fields) {
            out.put(f, m.group(f));
        }
        return Optional.of(out);
    }

    /**
     * First the fast form (a field ends where the next literal starts); if that fails, Drain's own
     * form (every field {@code .*?}, so a field may hold spaces) under a budget of characters read,
     * so that a line that fits neither costs bounded time instead of exponential backtracking.
     */
    private Matcher match(String line) {
        Matcher m = pattern.matcher(line);
        if (m.matches()) {
            return m;
        }
        Matcher slow = fallback.matcher(new BudgetedChars(line, FALLBACK_BUDGET));
        try {
            return slow.matches() ? slow : null;
        } catch (BudgetedChars.Exhausted e) {
            return null;
        }
    }

    /** A line whose reads are counted: the regex engine gives up when the budget is spent. */
    private static final class BudgetedChars implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false); // control flow only: no stack trace
            }
        }

        private final String s;
        private int budget;

        BudgetedChars(String s, int budget) {
            this.s = s;
            this.budget = budget;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw new Exhausted();
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.substring(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }

    /** Field names in format order. */
    public List<String> fieldNames() {
        return fields;
    }

    @Override
    public String toString() {
        return format;
    }
}
