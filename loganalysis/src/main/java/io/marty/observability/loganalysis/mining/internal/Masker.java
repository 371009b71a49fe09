package io.marty.observability.loganalysis.mining.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a log message into whitespace-separated tokens and masks the variable parts generically.
 * No regex: a few passes over the characters of each token, so it can run on every line.
 *
 * <ul>
 *   <li>{@code key=value} (also several pairs joined by commas): the value becomes {@code <*>}.
 *   <li>A token with two or more {@code /} or {@code \} is a path: {@code <*>}, quotes kept.
 *   <li>Digits, {@code : . , - +} only (numbers, times, dates, IPs): {@code <*>}; IPv4:port and
 *       host.name:port become {@code <*>:<*>}; trailing punctuation stays.
 *   <li>Otherwise the token is cut at delimiters ({@code : . = , ( ) [ ] { } @ " ' ; |}, but not a
 *       decimal point) into segments; a segment holding a digit becomes {@code <*>} unless it is a
 *       word with a single version-like digit ({@code ssh2}, {@code SOCKS5}, {@code jk2_init}).
 *   <li>A size or time unit right after a value joins it ({@code 93.0 KB} → {@code <*>}); a
 *       parenthesised quantity ({@code (1.16 KB)}) is dropped; three or more variables in a row
 *       (lists of ids) collapse into one {@code <*>}.
 * </ul>
 */
public final class Masker {
    public static final String WILDCARD = "<*>";

    /**
     * True when {@code pattern}, reading each {@code <*>} in it as "any text", matches {@code text}
     * ({@code <*>:<*>} matches {@code wpad:<*>}). Linear greedy glob matching, no regex.
     */
    public static boolean covers(String pattern, String text) {
        if (pattern.indexOf('<') < 0) {
            return false;
        }
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        int pn = pattern.length();
        int tn = text.length();
        while (t < tn) {
            if (pattern.startsWith(WILDCARD, p)) {
                star = p;
                p += WILDCARD.length();
                mark = t;
            } else if (p < pn && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + WILDCARD.length();
                t = ++mark;
            } else {
                return false;
            }
        }
        while (pattern.startsWith(WILDCARD, p)) {
            p += WILDCARD.length();
        }
        return p == pn;
    }

    private final int maxTokens;

    public Masker(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    /** Tokens of {@code line}, masked; at most {@code maxTokens} (the rest joins the last one). */
    public String[] tokens(String line) {
        List<String> out = new ArrayList<>(16);
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            if (out.size() == maxTokens - 1) {
                // bound the work and the template size: the tail becomes one variable token
                out.add(WILDCARD);
                break;
            }
            while (i < n && !isSpace(line.charAt(i))) {
                i++;
            }
            String tok = maskToken(line, start, i);
            if (!out.isEmpty() && tok.length() <= 6 && foldUnit(out, tok)) {
                continue;
            }
            out.add(tok);
        }
        collapseRuns(out);
        return out.toArray(new String[0]);
    }

    private static final java.util.Set<String> UNIT_WORDS = java.util.Set.of(
            "B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "ms", "us", "ns", "s", "sec", "secs");

    /**
     * A unit right after a number belongs to the value ({@code 93.0 B}, {@code 12 ms}): it joins the
     * variable before it. A parenthesised restatement of a quantity ({@code (1.16 KB)}) is dropped,
     * since logs print it only for some values.
     */
    private static boolean foldUnit(List<String> out, String tok) {
        String prev = out.get(out.size() - 1);
        if (!prev.endsWith(WILDCARD)) {
            return false;
        }
        int end = tok.length();
        while (end > 0 && ",;)]".indexOf(tok.charAt(end - 1)) >= 0) {
            end--;
        }
        if (end == 0 || !UNIT_WORDS.contains(tok.substring(0, end))) {
            return false;
        }
        String folded = prev + tok.substring(end);
        if (folded.equals("(" + WILDCARD + ")")) {
            out.remove(out.size() - 1);
        } else {
            out.set(out.size() - 1, folded);
        }
        return true;
    }

    /** Runs of this many variables or more collapse into one. */
    static final int COLLAPSE = 3;

    /** A run of COLLAPSE or more variables (a list of ids, a stack of values) becomes one. */
    private static void collapseRuns(List<String> out) {
        int w = 0;
        int i = 0;
        int n = out.size();
        while (i < n) {
            String t = out.get(i);
            if (t.equals(WILDCARD)) {
                int j = i;
                while (j < n && out.get(j).equals(WILDCARD)) {
                    j++;
                }
                int run = j - i;
                int keep = run >= COLLAPSE ? 1 : run;
                for (int k = 0; k < keep; k++) {
                    out.set(w++, WILDCARD);
                }
                i = j;
            } else {
                out.set(w++, t);
                i++;
            }
        }
        while (out.size() > w) {
            out.remove(out.size() - 1);
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0B;
    }

    static boolean isDelimiter(char c) {
        switch (c) {
            case ':':
            case '.':
            case '=':
            case ',':
            case '(':
            case ')':
            case '[':
            case ']':
            case '{':
            case '}':
            case '@':
            case '"':
            case '\'':
            case ';':
            case '|':
                return true;
            default:
                return false;
        }
    }

    static String maskToken(String s, int from, int to) {
        // one scan collects what every rule below needs
        int eq = -1;
        int eqs = 0;
        int seps = 0;
        boolean digit = false;
        boolean numericOnly = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
                continue;
            }
            if (c != ':' && c != '.' && c != ',' && c != '-' && c != '+') {
                numericOnly = false;
            }
            if (c == '=') {
                if (eq < 0) {
                    eq = i;
                }
                eqs++;
            } else if (c == '/' || c == '\\') {
                seps++;
            }
        }
        if (eqs > 1 && s.charAt(to - 1) != '=') {
            String pairs = maskPairs(s, from, to);
            if (pairs != null) {
                return pairs;
            }
        }
        if (eq > from && eq < to - 1 && isKey(s, from, eq)) {
            // key=value: the key is the constant, the value a variable, whatever it looks like
            int end = to;
            char last = s.charAt(to - 1);
            if (last == ',' || last == ';') {
                end--;
            }
            if (end > eq + 1) {
                return s.substring(from, eq + 1) + WILDCARD + s.substring(end, to);
            }
        }
        if (seps >= 2) {
            return maskPath(s, from, to);
        }
        if (!digit) {
            return s.substring(from, to);
        }
        int core = to;
        while (core > from && ":,;.".indexOf(s.charAt(core - 1)) >= 0) {
            core--; // trailing punctuation is text, not part of the value
        }
        if (numericOnly) {
            return (isIpPort(s, from, core) ? "<*>:<*>" : WILDCARD) + s.substring(core, to);
        }
        if (isHostPort(s, from, core)) {
            return "<*>:<*>" + s.substring(core, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        int seg = from;
        for (int i = from; i <= to; i++) {
            if (i == to || (isDelimiter(s.charAt(i)) && !isDecimalPoint(s, i, from, to))) {
                appendSegment(sb, s, seg, i);
                if (i < to) {
                    sb.append(s.charAt(i));
                }
                seg = i + 1;
            }
        }
        return sb.toString();
    }

    /** A '.' between two digits belongs to the number (1.16), it does not cut the token. */
    private static boolean isDecimalPoint(String s, int i, int from, int to) {
        return s.charAt(i) == '.' && i > from && i + 1 < to && isDigit(s.charAt(i - 1)) && isDigit(s.charAt(i + 1));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Paths (two or more / or \\ separators) are values; the quotes or brackets around them stay. */
    /** {@code a=1,b=x,c=} (several pairs in one token): every value is masked; null if not that shape. */
    private static String maskPairs(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int part = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == ',') {
                int eq = s.indexOf('=', part);
                if (eq <= part || eq >= i || !isKey(s, part, eq)) {
                    return null;
                }
                sb.append(s, part, eq + 1);
                if (eq + 1 < i) {
                    sb.append(WILDCARD);
                }
                if (i < to) {
                    sb.append(',');
                }
                part = i + 1;
            }
        }
        return sb.toString();
    }

    /** IPv4 address with port: four dotted numbers, one colon. */
    private static boolean isIpPort(String s, int from, int to) {
        int colon = -1;
        int dots = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                if (colon >= 0) {
                    return false;
                }
                colon = i;
            } else if (c == '.' && colon < 0) {
                dots++;
            } else if (!isDigit(c)) {
                return false;
            }
        }
        return colon > from && colon < to - 1 && dots == 3;
    }

    /** {@code host.name:port}: a dotted host name (letters, digits, - and .) and a numeric port. */
    private static boolean isHostPort(String s, int from, int to) {
        int colon = to - 1;
        while (colon > from && s.charAt(colon) != ':') {
            colon--; // bounded to the token: String.lastIndexOf would scan the whole line
        }
        if (colon <= from || colon >= to - 1) {
            return false;
        }
        for (int i = colon + 1; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        boolean dot = false;
        boolean letter = false;
        for (int i = from; i < colon; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dot = true;
            } else if (Character.isLetter(c)) {
                letter = true;
            } else if (!isDigit(c) && c != '-') {
                return false;
            }
        }
        return dot && letter && s.charAt(from) != '.' && s.charAt(colon - 1) != '.';
    }

    /** A path (two or more / or \\ separators) is a value; the quotes or brackets around it stay. */
    private static String maskPath(String s, int from, int to) {
        int a = from;
        while (a < to && "'\"([".indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        int b = to;
        while (b > a && "'\")],;:.".indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(from, a) + WILDCARD + s.substring(b, to);
    }

    private static boolean isKey(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static void appendSegment(StringBuilder sb, String s, int from, int to) {
        int digits = 0;
        int letters = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (Character.isLetter(c)) {
                letters++;
            }
        }
        boolean hexLiteral =
                to - from > 2 && s.charAt(from) == '0' && (s.charAt(from + 1) == 'x' || s.charAt(from + 1) == 'X');
        if (digits == 0 || (digits == 1 && letters >= 2 && !hexLiteral && !isHexish(s, from, to))) {
            sb.append(s, from, to);
        } else {
            sb.append(WILDCARD);
        }
    }

    /** True for short hex-looking strings such as {@code 0a} or {@code ff3e}; they are values. */
    private static boolean isHexish(String s, int from, int to) {
        if (to - from < 4) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
