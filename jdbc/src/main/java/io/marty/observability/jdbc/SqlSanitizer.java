package io.marty.observability.jdbc;

import io.marty.observability.core.failure.InstrumentationErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Replaces every literal of a SQL statement by {@code ?} so that the text can go into spans and logs:
 * string literals (with {@code ''} doubling, backslash escapes where the dialect has them, {@code
 * E'..'}, {@code N'..'}, {@code X'..'}, {@code B'..'}, {@code U&'..'}, {@code _charset'..'}, Oracle
 * {@code q'[..]'}), PostgreSQL dollar-quoted strings ({@code $$..$$}, {@code $tag$..$tag$}), numbers
 * (decimal, exponent, {@code 0x..}, {@code 0b..}); comments are removed, whitespace collapsed and
 * {@code IN (?, ?, ?)} lists collapsed to {@code IN (?)}. Identifiers, keywords, operators and
 * placeholders ({@code ?}, {@code $1}, {@code :name}) are kept. It is a lexer, not a parser: it never
 * needs to understand the statement to find where a literal ends.
 *
 * <pre>{@code
 * SqlSanitizer.Result r = SqlSanitizer.sanitize("SELECT * FROM users WHERE email = 'bob@example.com'",
 *         SqlSanitizer.Dialect.STANDARD);
 * r.text();       // SELECT * FROM users WHERE email = ?
 * r.operation();  // SELECT
 * r.collection(); // users
 * }</pre>
 *
 * <p>Guarantees: input beyond {@value #MAX_INPUT_CHARS} characters is not read (the text then ends in
 * {@code " ..."}); a literal that is not closed swallows the rest of the statement; where the dialect is
 * {@link Dialect#UNKNOWN} and a string literal holds a backslash (whether it escapes the quote depends on
 * the server), the rest of the statement is dropped; {@code sanitize} never throws — on an internal
 * failure it returns {@link #REDACTED} and counts the failure under {@value #COMPONENT} in {@code
 * mmf_instrumentation_errors_total}.
 */
public final class SqlSanitizer {
    /** Characters of a statement that are read; the rest is dropped. */
    public static final int MAX_INPUT_CHARS = 8192;
    /** The {@code InstrumentationErrors} component of the JDBC integration. */
    public static final String COMPONENT = InstrumentationErrors.JDBC;
    /** Operation of a statement whose first word is not a known SQL verb. */
    public static final String OTHER_OPERATION = "OTHER";
    /** What a statement becomes when sanitising failed: nothing of it is kept. */
    public static final Result REDACTED = new Result("?", OTHER_OPERATION, null);

    private static final int MAX_TOKENS = 256;
    private static final String ELLIPSIS = " ...";
    private static final Set<String> OPERATIONS = Set.of(
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "MERGE",
            "UPSERT",
            "REPLACE",
            "CREATE",
            "DROP",
            "ALTER",
            "TRUNCATE",
            "CALL",
            "EXEC",
            "EXECUTE",
            "WITH",
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "SET",
            "SHOW",
            "EXPLAIN",
            "GRANT",
            "REVOKE",
            "COPY",
            "VALUES",
            "DO",
            "LOCK",
            "VACUUM",
            "ANALYZE");

    /** How the server reads quotes and backslashes. */
    public enum Dialect {
        /**
         * ANSI quoting (PostgreSQL with {@code standard_conforming_strings}, H2, Oracle, SQL Server, DB2,
         * SQLite): a backslash is an ordinary character except in {@code E'..'}; {@code "x"} is an
         * identifier.
         */
        STANDARD,
        /** MySQL and MariaDB: backslash escapes in strings, {@code "x"} is a string, {@code #} starts a comment. */
        MYSQL,
        /** Not known: {@code "x"} is taken for a string, {@code #} for a comment, a backslash ends the text. */
        UNKNOWN;

        /** The dialect of an OTel {@code db.system.name} value. */
        public static Dialect ofDbSystem(@Nullable String dbSystem) {
            if (dbSystem == null) {
                return UNKNOWN;
            }
            switch (dbSystem) {
                case "postgresql":
                case "h2":
                case "oracle.db":
                case "microsoft.sql_server":
                case "ibm.db2":
                case "sqlite":
                case "hsqldb":
                case "derby":
                    return STANDARD;
                case "mysql":
                case "mariadb":
                    return MYSQL;
                default:
                    return UNKNOWN;
            }
        }
    }

    /**
     * A sanitised statement.
     *
     * @param text the statement with every literal replaced by {@code ?}
     * @param operation the upper-case SQL verb ({@code SELECT}, {@code INSERT}, ...) or {@value
     *     #OTHER_OPERATION}; a bounded set, fit for a metric label
     * @param collection the one table the statement works on, or null when there is none, several, or it
     *     is not known
     */
    public record Result(
            String text, String operation, @Nullable String collection) {}

    private SqlSanitizer() {}

    /** {@link #sanitize(String, Dialect)} in the {@link Dialect#UNKNOWN} dialect. */
    public static Result sanitize(@Nullable String sql) {
        return sanitize(sql, Dialect.UNKNOWN);
    }

    /** The sanitised form of {@code sql}; never throws (see the class comment). */
    public static Result sanitize(@Nullable String sql, Dialect dialect) {
        if (sql == null) {
            return new Result("", OTHER_OPERATION, null);
        }
        Dialect d = dialect == null ? Dialect.UNKNOWN : dialect;
        return failOpen(() -> new Lexer(sql, d).run());
    }

    /** Runs {@code lexer}; when it throws, counts the failure and returns {@link #REDACTED}. */
    static Result failOpen(java.util.function.Supplier<Result> lexer) {
        try {
            return lexer.get();
        } catch (RuntimeException | StackOverflowError e) {
            InstrumentationErrors.current().record(COMPONENT, "cannot sanitise a SQL statement", e);
            return REDACTED;
        }
    }

    /** One pass over the statement; {@code tokens} keeps the first statement's words and punctuation. */
    private static final class Lexer {
        private final String sql;
        private final int end;
        private final Dialect dialect;
        private final StringBuilder out;
        private final List<String> tokens = new ArrayList<>();
        // parallel to tokens: true for a quoted identifier (never a keyword)
        private final List<Boolean> quoted = new ArrayList<>();
        private int statements = 1;
        private boolean statementHasContent;
        private boolean space;

        Lexer(String sql, Dialect dialect) {
            this.sql = sql;
            this.end = Math.min(sql.length(), MAX_INPUT_CHARS);
            this.dialect = dialect;
            this.out = new StringBuilder(Math.min(end, 1024) + 8);
        }

        Result run() {
            boolean cut = sql.length() > end;
            int i = 0;
            while (i < end) {
                char c = sql.charAt(i);
                char next = i + 1 < end ? sql.charAt(i + 1) : '\0';
                if (Character.isWhitespace(c)) {
                    space = true;
                    i++;
                } else if (c == '-' && next == '-' || c == '#' && dialect != Dialect.STANDARD) {
                    i = lineEnd(i);
                    space = true;
                } else if (c == '/' && next == '*') {
                    i = blockCommentEnd(i);
                    space = true;
                } else if (c == '\'') {
                    i = literal(i, dialect == Dialect.MYSQL, dialect == Dialect.UNKNOWN);
                } else if (c == '"') {
                    i = dialect == Dialect.STANDARD
                            ? quotedIdentifier(i, '"')
                            : literal(i, dialect == Dialect.MYSQL, dialect == Dialect.UNKNOWN);
                } else if (c == '`') {
                    i = quotedIdentifier(i, '`');
                } else if (c == '$') {
                    i = dollar(i);
                } else if (Character.isDigit(c) || c == '.' && Character.isDigit(next)) {
                    i = number(i);
                } else if (Character.isLetter(c) || c == '_') {
                    i = word(i);
                } else {
                    i = punctuation(i, c);
                }
                if (i < 0) {
                    // an unterminated literal (or an ambiguous one) took the rest of the statement
                    cut = false;
                    break;
                }
            }
            if (cut) {
                out.append(ELLIPSIS);
            }
            return new Result(out.toString(), operation(), statements == 1 ? collection() : null);
        }

        private void emit(String s) {
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(s);
        }

        private void emit(char c) {
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(c);
        }

        private void token(String t, boolean isQuoted) {
            statementHasContent = true;
            if (statements == 1 && tokens.size() < MAX_TOKENS) {
                tokens.add(t);
                quoted.add(isQuoted);
            }
        }

        private int lineEnd(int i) {
            int j = i;
            while (j < end && sql.charAt(j) != '\n' && sql.charAt(j) != '\r') {
                j++;
            }
            return j;
        }

        /** Block comments nest (PostgreSQL, H2); an unclosed one ends the text. */
        private int blockCommentEnd(int i) {
            int depth = 0;
            int j = i;
            while (j < end) {
                char c = sql.charAt(j);
                char next = j + 1 < end ? sql.charAt(j + 1) : '\0';
                if (c == '/' && next == '*') {
                    depth++;
                    j += 2;
                } else if (c == '*' && next == '/') {
                    depth--;
                    j += 2;
                    if (depth == 0) {
                        return j;
                    }
                } else {
                    j++;
                }
            }
            return end;
        }

        /**
         * A literal opened by the quote at {@code i}; emits {@code ?}. Returns the index after it, or -1
         * when it is not closed (or, with {@code stopAtBackslash}, holds a backslash).
         */
        private int literal(int i, boolean backslashEscapes, boolean stopAtBackslash) {
            char quote = sql.charAt(i);
            emit('?');
            token("?", false);
            int j = i + 1;
            while (j < end) {
                char c = sql.charAt(j);
                if (c == '\\') {
                    if (stopAtBackslash) {
                        return -1;
                    }
                    if (backslashEscapes) {
                        j += 2;
                        continue;
                    }
                } else if (c == quote) {
                    if (j + 1 < end && sql.charAt(j + 1) == quote) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return -1;
        }

        /** Oracle {@code q'<d>...<d>'}: the quote at {@code i}; a bracket closes with its partner. */
        private int oracleQuoted(int i) {
            emit('?');
            token("?", false);
            if (i + 1 >= end) {
                return -1;
            }
            char open = sql.charAt(i + 1);
            char close = open == '[' ? ']' : open == '(' ? ')' : open == '{' ? '}' : open == '<' ? '>' : open;
            for (int j = i + 2; j + 1 < end; j++) {
                if (sql.charAt(j) == close && sql.charAt(j + 1) == '\'') {
                    return j + 2;
                }
            }
            return -1;
        }

        private int quotedIdentifier(int i, char quote) {
            int j = i + 1;
            while (j < end) {
                if (sql.charAt(j) == quote) {
                    if (j + 1 < end && sql.charAt(j + 1) == quote) {
                        j += 2;
                        continue;
                    }
                    String identifier = sql.substring(i, j + 1);
                    emit(identifier);
                    token(sql.substring(i + 1, j), true);
                    return j + 1;
                }
                j++;
            }
            // not closed: whatever follows is not known to be an identifier
            emit('?');
            return -1;
        }

        /** {@code $1} placeholders, {@code $tag$...$tag$} strings, or a lone {@code $}. */
        private int dollar(int i) {
            int j = i + 1;
            if (j < end && Character.isDigit(sql.charAt(j))) {
                while (j < end && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                String placeholder = sql.substring(i, j);
                emit(placeholder);
                token(placeholder, false);
                return j;
            }
            while (j < end && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                j++;
            }
            if (j < end && sql.charAt(j) == '$') {
                String tag = sql.substring(i, j + 1);
                emit('?');
                token("?", false);
                // searched within the bounded input only
                for (int k = j + 1; k + tag.length() <= end; k++) {
                    if (sql.startsWith(tag, k)) {
                        return k + tag.length();
                    }
                }
                return -1;
            }
            emit('$');
            token("$", false);
            return i + 1;
        }

        private int number(int i) {
            int j = i;
            char c = sql.charAt(j);
            char next = j + 1 < end ? Character.toLowerCase(sql.charAt(j + 1)) : '\0';
            if (c == '0' && (next == 'x' || next == 'b' || next == 'o')) {
                j += 2;
                while (j < end && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
            } else {
                while (j < end && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                if (j < end && sql.charAt(j) == '.') {
                    j++;
                    while (j < end && Character.isDigit(sql.charAt(j))) {
                        j++;
                    }
                }
                if (j < end && Character.toLowerCase(sql.charAt(j)) == 'e') {
                    int k = j + 1;
                    if (k < end && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                        k++;
                    }
                    if (k < end && Character.isDigit(sql.charAt(k))) {
                        j = k;
                        while (j < end && Character.isDigit(sql.charAt(j))) {
                            j++;
                        }
                    }
                }
                // a type suffix or a run of letters glued to the number (1L, 2d, 10abc) belongs to it
                while (j < end && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
            }
            emit('?');
            token("?", false);
            return j;
        }

        private int word(int i) {
            int j = i + 1;
            while (j < end) {
                char c = sql.charAt(j);
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$')) {
                    break;
                }
                j++;
            }
            String word = sql.substring(i, j);
            if (j < end && sql.charAt(j) == '\'') {
                if (word.equalsIgnoreCase("q") || word.equalsIgnoreCase("nq")) {
                    return oracleQuoted(j);
                }
                // a prefix glued to a string: E'..', N'..', X'..', B'..', _utf8mb4'..'
                if (word.length() <= 2 || word.charAt(0) == '_') {
                    boolean escapes = word.equalsIgnoreCase("e") || dialect == Dialect.MYSQL;
                    return literal(j, escapes, dialect == Dialect.UNKNOWN && !escapes);
                }
            }
            if (j + 1 < end && sql.charAt(j) == '&' && sql.charAt(j + 1) == '\'' && word.equalsIgnoreCase("u")) {
                return literal(j + 1, false, dialect == Dialect.UNKNOWN);
            }
            emit(word);
            token(word, false);
            return j;
        }

        private int punctuation(int i, char c) {
            if (c == ';') {
                emit(';');
                if (statementHasContent) {
                    statements++;
                    statementHasContent = false;
                }
                return i + 1;
            }
            if (c == ')') {
                collapseInList();
            }
            emit(c);
            if (c == '(' || c == ')' || c == ',' || c == '.') {
                token(String.valueOf(c), false);
            } else {
                statementHasContent = true;
            }
            return i + 1;
        }

        /** At a {@code )}: {@code IN (?, ?, ?} becomes {@code IN (?}. */
        private void collapseInList() {
            int k = out.length() - 1;
            int marks = 0;
            while (k >= 0) {
                char c = out.charAt(k);
                if (c == '?') {
                    marks++;
                } else if (c != ',' && c != ' ') {
                    break;
                }
                k--;
            }
            if (k < 0 || out.charAt(k) != '(' || marks < 2) {
                return;
            }
            int w = k - 1;
            if (w >= 0 && out.charAt(w) == ' ') {
                w--;
            }
            if (w >= 1
                    && Character.toLowerCase(out.charAt(w)) == 'n'
                    && Character.toLowerCase(out.charAt(w - 1)) == 'i'
                    && (w < 2 || !Character.isLetterOrDigit(out.charAt(w - 2)) && out.charAt(w - 2) != '_')) {
                out.setLength(k + 1);
                out.append('?');
                space = false;
            }
        }

        private String operation() {
            String first = firstWord(0);
            if (first == null) {
                return OTHER_OPERATION;
            }
            String op = first.toUpperCase(Locale.ROOT);
            if (!OPERATIONS.contains(op)) {
                return OTHER_OPERATION;
            }
            if (op.equals("WITH")) {
                // the verb after the common table expressions: first one outside parentheses
                int depth = 0;
                for (int t = 1; t < tokens.size(); t++) {
                    String tok = tokens.get(t);
                    if (tok.equals("(")) {
                        depth++;
                    } else if (tok.equals(")")) {
                        depth--;
                    } else if (depth == 0 && !quoted.get(t)) {
                        String u = tok.toUpperCase(Locale.ROOT);
                        if (u.equals("SELECT")
                                || u.equals("INSERT")
                                || u.equals("UPDATE")
                                || u.equals("DELETE")
                                || u.equals("MERGE")) {
                            return u;
                        }
                    }
                }
            }
            return op;
        }

        private @Nullable String firstWord(int from) {
            for (int t = from; t < tokens.size(); t++) {
                String tok = tokens.get(t);
                if (!quoted.get(t) && !tok.isEmpty() && Character.isLetter(tok.charAt(0))) {
                    return tok;
                }
            }
            return null;
        }

        private @Nullable String collection() {
            String op = operation();
            switch (op) {
                case "SELECT":
                    return anyKeyword("JOIN") ? null : nameAfter("FROM");
                case "DELETE":
                    return nameAfter("FROM");
                case "INSERT":
                case "REPLACE":
                case "MERGE":
                case "UPSERT":
                    return nameAfter("INTO");
                case "UPDATE":
                    return nameAfter("UPDATE");
                case "CREATE":
                case "DROP":
                case "ALTER":
                case "TRUNCATE":
                    return op.equals("TRUNCATE") && !anyKeyword("TABLE") ? nameAfter("TRUNCATE") : nameAfter("TABLE");
                default:
                    return null;
            }
        }

        private boolean anyKeyword(String keyword) {
            for (int t = 0; t < tokens.size(); t++) {
                if (!quoted.get(t) && tokens.get(t).equalsIgnoreCase(keyword)) {
                    return true;
                }
            }
            return false;
        }

        /** The (qualified) table name after the first {@code keyword} at parenthesis depth 0, if it is alone. */
        private @Nullable String nameAfter(String keyword) {
            int depth = 0;
            for (int t = 0; t < tokens.size(); t++) {
                String tok = tokens.get(t);
                if (tok.equals("(")) {
                    depth++;
                } else if (tok.equals(")")) {
                    depth--;
                } else if (depth == 0 && !quoted.get(t) && tok.equalsIgnoreCase(keyword)) {
                    return qualifiedName(t + 1);
                }
            }
            return null;
        }

        private @Nullable String qualifiedName(int from) {
            int t = from;
            // CREATE TABLE IF NOT EXISTS x, DROP TABLE IF EXISTS x, UPDATE ONLY x, TRUNCATE TABLE x
            while (t < tokens.size() && !quoted.get(t) && isModifier(tokens.get(t))) {
                t++;
            }
            StringBuilder name = new StringBuilder();
            while (t < tokens.size() && isName(t)) {
                name.append(tokens.get(t));
                if (t + 2 < tokens.size() && tokens.get(t + 1).equals(".") && isName(t + 2)) {
                    name.append('.');
                    t += 2;
                } else {
                    t++;
                    break;
                }
            }
            if (name.length() == 0) {
                return null;
            }
            // FROM a, b: several tables
            if (t < tokens.size() && tokens.get(t).equals(",")) {
                return null;
            }
            return name.toString();
        }

        private boolean isName(int t) {
            String tok = tokens.get(t);
            if (quoted.get(t)) {
                return !tok.isEmpty();
            }
            return !tok.isEmpty() && (Character.isLetter(tok.charAt(0)) || tok.charAt(0) == '_') && !isModifier(tok);
        }

        private static boolean isModifier(String tok) {
            switch (tok.toUpperCase(Locale.ROOT)) {
                case "IF":
                case "NOT":
                case "EXISTS":
                case "ONLY":
                case "TABLE":
                case "LATERAL":
                case "SELECT":
                    return true;
                default:
                    return false;
            }
        }
    }
}
