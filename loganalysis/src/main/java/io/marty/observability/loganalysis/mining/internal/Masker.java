package io.marty.observability.loganalysis.mining.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

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
        // a literal first or last character must match the text's: most comparisons end here
        if (pn == WILDCARD.length() && pattern.equals(WILDCARD)) {
            return true;
        }
        if (tn > 0
                && ((pattern.charAt(0) != text.charAt(0) && !pattern.startsWith(WILDCARD))
                        || (pattern.charAt(pn - 1) != text.charAt(tn - 1) && !pattern.endsWith(WILDCARD)))) {
            return false;
        }
        while (t < tn) {
            if (pattern.startsWith(WILDCARD, p)) {
                star = p;
                p += WILDCARD.length();
                mark = t;
                if (p == pn) {
                    return true; // a trailing <*> takes the rest of the text
                }
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
    private final boolean dates;
    private final boolean hostShape;
    private final boolean quotedValue;
    private final boolean keyOrder;

    /** A masker with every masking rule on. */
    public Masker(int maxTokens) {
        this(maxTokens, EnumSet.allOf(Rule.class));
    }

    public Masker(int maxTokens, Set<Rule> rules) {
        this.maxTokens = maxTokens;
        this.dates = rules.contains(Rule.DATES);
        this.hostShape = rules.contains(Rule.HOST_SHAPE);
        this.quotedValue = rules.contains(Rule.QUOTED_VALUE);
        this.keyOrder = rules.contains(Rule.KEY_ORDER);
    }

    /** Lines up to this long are copied into {@link #buffer}, reused from line to line. */
    private static final int BUFFER_CHARS = 4096;

    /** The current line's characters (the first {@code text.length()}), reused between lines. */
    private char[] buffer = new char[256];
    /** The current line: tokens are its substrings (a copy of its bytes, no re-encoding). */
    private String text = "";

    /** {@link #tokens}' working list, reused from line to line (at most maxTokens entries). */
    private final List<String> scratch = new ArrayList<>(32);
    /** See {@link #lastOrder()}. */
    private int[] order;
    /** key=value tokens masked in the current line: key order only matters from two on. */
    private int pairs;

    /**
     * For the last {@link #tokens} call: where the key=value pair written at each position went
     * in the key order ({@code order[written] = ordered}), or null when nothing moved. Lets a
     * template show its first line's order while lines with the pairs in any order match it.
     */
    public int[] lastOrder() {
        return order;
    }

    /**
     * Tokens of {@code line}, masked; at most {@code maxTokens} (the rest joins the last one). Not
     * thread-safe (the miner calls it under its lock).
     */
    public String[] tokens(String text) {
        // one copy of the characters: the rules below index them many times per token
        int n = text.length();
        char[] line = buffer;
        if (n > line.length) {
            line = new char[n];
            if (n <= BUFFER_CHARS) {
                buffer = line;
            }
        }
        text.getChars(0, n, line, 0);
        this.text = text;
        order = null;
        pairs = 0;
        List<String> out = scratch;
        out.clear();
        // every date expression holds a numeric token (day, year, time or date): none can start
        // after the line's last digit, so most tokens of most lines skip the date check
        int lastDigit = n - 1;
        while (lastDigit >= 0 && !isDigit(line[lastDigit])) {
            lastDigit--;
        }
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(line[i])) {
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
            while (i < n && !isSpace(line[i])) {
                i++;
            }
            if (quotedValue) {
                int end = quotedEnd(line, n, start, i);
                if (end > 0) {
                    out.add(wrap(line, start, end, start + 1, closingQuote(line, start + 1, end)));
                    i = end;
                    continue;
                }
            }
            if (dates && start <= lastDigit) {
                int end = dateEnd(line, n, start, i);
                if (end > 0) {
                    out.add(wrap(line, start, end, leadEnd(line, start, end), end - trailing(line, start, end)));
                    i = end;
                    continue;
                }
            }
            String tok = maskToken(line, start, i);
            if (!out.isEmpty() && tok.length() <= 6 && foldUnit(out, tok)) {
                continue;
            }
            out.add(tok);
        }
        this.text = "";
        collapseRuns(out);
        if (keyOrder && pairs >= 2) {
            orderKeys(out);
        }
        return out.toArray(new String[0]);
    }

    /** {@code s[from, to)} as a string: a substring of the line, whose characters {@code s} holds. */
    private String str(char[] s, int from, int to) {
        return text.substring(from, to);
    }

    private static int indexOf(char[] s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** {@link String#regionMatches(boolean, int, String, int, int)} with {@code ignoreCase} on the characters of a line. */
    private static boolean regionMatchesIgnoreCase(char[] s, int from, String other, int otherFrom, int len) {
        if (from < 0 || otherFrom < 0 || from > (long) s.length - len || otherFrom > (long) other.length() - len) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            char c1 = s[from + k];
            char c2 = other.charAt(otherFrom + k);
            if (c1 == c2) {
                continue;
            }
            char u1 = Character.toUpperCase(c1);
            char u2 = Character.toUpperCase(c2);
            if (u1 != u2 && Character.toLowerCase(u1) != Character.toLowerCase(u2)) {
                return false;
            }
        }
        return true;
    }

    /** {@code s[from, to)} with its core {@code [a, b)} replaced by one variable. */
    private String wrap(char[] s, int from, int to, int a, int b) {
        return str(s, from, a) + WILDCARD + str(s, b, to);
    }

    // character classes of the ASCII punctuation the rules look at, as bits of one table: a lookup
    // per character instead of a String.indexOf over a set (these run on every token)
    private static final int OPENER = 1; // ( [ { < " '
    private static final int CLOSER = 2; // ) ] } > " '
    private static final int SENTENCE = 4; // , ; : . ! ?
    private static final int LIST = 8; // , ; .
    private static final int VALUE_END = 16; // : , ; .
    private static final int QUOTE_END = 32; // , ; : . ) ] }
    private static final int PATH_LEAD = 64; // ' " ( [
    private static final int PATH_TRAIL = 128; // ' " ) ] , ; : .
    private static final int[] CLASSES = new int[128];

    static {
        String[] sets = {"([{<\"'", ")]}>\"'", ",;:.!?", ",;.", ":,;.", ",;:.)]}", "'\"([", "'\")],;:."};
        for (int k = 0; k < sets.length; k++) {
            for (char c : sets[k].toCharArray()) {
                CLASSES[c] |= 1 << k;
            }
        }
    }

    private static boolean is(int cls, char c) {
        return c < 128 && (CLASSES[c] & cls) != 0;
    }

    private static int leadEnd(char[] s, int from, int to) {
        int a = from;
        while (a < to && is(OPENER, s[a])) {
            a++;
        }
        return a;
    }

    /** Number of closing brackets, quotes and punctuation at the end of {@code s[from, to)}. */
    private static int trailing(char[] s, int from, int to) {
        int b = to;
        while (b > from && is(CLOSER | SENTENCE, s[b - 1])) {
            b--;
        }
        return to - b;
    }

    // ---- quoted values spanning several tokens

    private static final int MAX_QUOTED_TOKENS = 16;

    /**
     * End of a quoted value that starts at {@code start} and spans more than one token ({@code "a b
     * c"}); -1 if the token does not open such a value.
     */
    private static int quotedEnd(char[] s, int n, int start, int tokEnd) {
        char q = s[start];
        if (q != '"' && q != '\'') {
            return -1;
        }
        if (tokEnd - start > 1 && closesQuote(s, start + 1, tokEnd, q)) {
            return -1; // a one-token quoted value: the token rules apply
        }
        int i = tokEnd;
        for (int k = 1; k < MAX_QUOTED_TOKENS && i < n; k++) {
            while (i < n && isSpace(s[i])) {
                i++;
            }
            int a = i;
            while (i < n && !isSpace(s[i])) {
                i++;
            }
            if (a < i && closesQuote(s, a, i, q)) {
                return plainText(s, start + 1, closingQuote(s, a, i)) ? i : -1;
            }
        }
        return -1;
    }

    /**
     * Words and sentence punctuation only: free text such as a name or a reason. A quoted span
     * with digits, paths or operators ({@code "GET /a HTTP/1.1"}) keeps its tokens, which carry
     * structure.
     */
    private static boolean plainText(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (!(Character.isLetter(c) || isSpace(c) || "-',.!?".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean closesQuote(char[] s, int from, int to, char q) {
        int b = closingQuote(s, from, to);
        return b >= from && s[b] == q;
    }

    /** Index of the last character of {@code s[from, to)} before trailing punctuation. */
    private static int closingQuote(char[] s, int from, int to) {
        int b = to;
        while (b > from && is(QUOTE_END, s[b - 1])) {
            b--;
        }
        return b - 1;
    }

    // ---- date and time expressions

    private static final int D_NONE = 0;
    private static final int D_WEEKDAY = 1;
    private static final int D_MONTH = 2;
    private static final int D_NUM = 3;
    private static final int D_TIME = 4;
    private static final int D_DATE = 5;
    private static final int D_ZONE = 6;
    private static final int D_AMPM = 7;
    private static final int D_ISO = 8; // date and time in one token
    private static final int MAX_DATE_TOKENS = 8;

    /**
     * End of a date/time expression starting with the token {@code s[start, tokEnd)} (weekday and
     * month names, day, year, time, zone, in the orders of ctime, RFC 1123/2822, syslog and ISO
     * 8601/RFC 3339), or -1 when there is none. A lone number or time is left to the token rules.
     */
    private static int dateEnd(char[] s, int n, int start, int tokEnd) {
        char c = s[start];
        int first = start;
        if (is(OPENER, c) && start + 1 < tokEnd) {
            c = s[++first];
        }
        if (!isDigit(c) && (tokEnd - start < 3 || tokEnd - start > 12 || !namePrefix(s, first, tokEnd))) {
            return -1; // cheap exit for most tokens: no date expression starts like this
        }
        int kind = dateKind(s, start, tokEnd);
        if (kind == D_NONE || kind == D_ZONE || kind == D_AMPM) {
            return -1;
        }
        if (kind == D_ISO) {
            return tokEnd;
        }
        if (kind == D_NUM && !nextIsMonth(s, n, tokEnd)) {
            return -1; // a number starts a date only as in "17 Jun 2005"
        }
        int end = tokEnd;
        int prev = kind;
        int tokens = 1;
        int nums = kind == D_NUM ? 1 : 0;
        boolean time = kind == D_TIME;
        boolean anchor = kind == D_TIME || kind == D_DATE;
        boolean closed = closes(s, start, tokEnd);
        int i = tokEnd;
        while (!closed && tokens < MAX_DATE_TOKENS && i < n) {
            while (i < n && isSpace(s[i])) {
                i++;
            }
            int a = i;
            while (i < n && !isSpace(s[i])) {
                i++;
            }
            if (a == i || is(OPENER, s[a])) {
                break;
            }
            int k = dateKind(s, a, i);
            if (k == D_NONE || k == D_ISO || ((k == D_ZONE || k == D_AMPM) && !time) || (k == D_NUM && nums >= 3)) {
                break;
            }
            if ((k == D_NUM && prev == D_MONTH) || (k == D_MONTH && prev == D_NUM)) {
                anchor = true;
            }
            time |= k == D_TIME;
            anchor |= k == D_TIME || k == D_DATE;
            nums += k == D_NUM ? 1 : 0;
            prev = k;
            tokens++;
            end = i;
            closed = closes(s, a, i);
        }
        if (!anchor || tokens < 2) {
            return -1;
        }
        // a trailing lone number after the last anchor is not part of the date unless it is a year
        return end;
    }

    /** True when the token after position {@code from} is a month name. */
    private static boolean nextIsMonth(char[] s, int n, int from) {
        int a = from;
        while (a < n && isSpace(s[a])) {
            a++;
        }
        int b = a;
        while (b < n && !isSpace(s[b])) {
            b++;
        }
        return a < b && namePrefix(s, leadEnd(s, a, b), b) && dateKind(s, a, b) == D_MONTH;
    }

    /** True when the token ends with a closing bracket, quote, colon or semicolon: the expression ends. */
    private static boolean closes(char[] s, int from, int to) {
        char c = s[to - 1];
        return is(CLOSER, c) || c == ':' || c == ';' || c == '.';
    }

    static int dateKind(char[] s, int from, int to) {
        int a = leadEnd(s, from, to);
        int b = to;
        while (b > a && is(CLOSER | LIST, s[b - 1])) {
            b--;
        }
        int len = b - a;
        if (len == 0 || len > 35) {
            return D_NONE;
        }
        char c = s[a];
        if (isDigit(c)) {
            return numericDateKind(s, a, b);
        }
        if (c == '+' || c == '-') {
            return zoneOffsetEnd(s, a, b) == b ? D_ZONE : D_NONE;
        }
        if (len > 9 || !Character.isLetter(c)) {
            return D_NONE;
        }
        return nameKind(s, a, b);
    }

    private static final String[] WEEKDAYS = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    };
    private static final String[] MONTHS = {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "sept"
    };

    /**
     * Weekday or month name (full or its first three letters; written lower case, capitalised or
     * upper case), a zone ({@code UTC}, {@code GMT}, {@code Z}, upper-case abbreviations ending in
     * T) or AM/PM. Compares in place: this runs on every word.
     */
    private static int nameKind(char[] s, int a, int b) {
        int len = b - a;
        boolean upper = len > 1 && Character.isUpperCase(s[a + 1]) && allUpper(s, a, b);
        if (len == 1) {
            return s[a] == 'Z' ? D_ZONE : D_NONE;
        }
        if (len == 2) {
            return regionMatchesIgnoreCase(s, a, "am", 0, 2) || regionMatchesIgnoreCase(s, a, "pm", 0, 2)
                    ? D_AMPM
                    : D_NONE;
        }
        if (upper && (len == 3 || len == 4) && s[b - 1] == 'T') {
            return D_ZONE; // UTC, GMT, PST, CEST, ...
        }
        if (NAME_INITIALS.indexOf(Character.toLowerCase(s[a])) < 0) {
            return D_NONE; // most words: no weekday or month starts with their letter
        }
        if (!upper) {
            for (int i = a + 1; i < b; i++) {
                if (!Character.isLowerCase(s[i])) {
                    return D_NONE; // mixed case such as "MaY" or "JavaScript": not a name
                }
            }
        }
        if (isName(WEEKDAYS, s, a, len)) {
            return D_WEEKDAY;
        }
        return isName(MONTHS, s, a, len) ? D_MONTH : D_NONE;
    }

    private static final String NAME_INITIALS = "mtwfsjando";

    /** The first three letters (lower case, {@code 26 * 26 * 26} slots) of every weekday and month name. */
    private static final boolean[] NAME_PREFIXES = new boolean[26 * 26 * 26];

    static {
        for (String[] names : new String[][] {WEEKDAYS, MONTHS}) {
            for (String name : names) {
                NAME_PREFIXES[prefixSlot(name.charAt(0), name.charAt(1), name.charAt(2))] = true;
            }
        }
    }

    /** Slot of three ASCII letters in any case, or -1 for anything else. */
    private static int prefixSlot(char c0, char c1, char c2) {
        int a = (c0 | 0x20) - 'a';
        int b = (c1 | 0x20) - 'a';
        int c = (c2 | 0x20) - 'a';
        if (a < 0 || a >= 26 || b < 0 || b >= 26 || c < 0 || c >= 26 || c0 >= 128 || c1 >= 128) {
            return -1;
        }
        return (a * 26 + b) * 26 + c;
    }

    /**
     * False when {@code s[a, to)} cannot start with a weekday or month name: the gate that keeps
     * the name check off most words. A non-ASCII third letter passes (the full check folds case
     * beyond ASCII there); the first two letters are compared in lower case, as {@link #isName} does.
     */
    private static boolean namePrefix(char[] s, int a, int to) {
        if (to - a < 3) {
            return false;
        }
        char c2 = s[a + 2];
        if (c2 >= 128) {
            return true;
        }
        int slot = prefixSlot(s[a], s[a + 1], c2);
        return slot >= 0 && NAME_PREFIXES[slot];
    }

    private static boolean isName(String[] names, char[] s, int a, int len) {
        char initial = Character.toLowerCase(s[a]);
        for (String name : names) {
            if (name.charAt(0) == initial
                    && Character.toLowerCase(s[a + 1]) == name.charAt(1)
                    && (len == name.length() || len == 3)
                    && len <= name.length()
                    && regionMatchesIgnoreCase(s, a, name, 0, len)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allUpper(char[] s, int a, int b) {
        for (int i = a; i < b; i++) {
            if (!Character.isUpperCase(s[i])) {
                return false;
            }
        }
        return true;
    }

    /** Kind of a token starting with a digit: day/year, time, date, or date and time (ISO). */
    private static int numericDateKind(char[] s, int a, int b) {
        int d = digits(s, a, b);
        if (a + d == b) {
            return d <= 4 ? D_NUM : D_NONE;
        }
        int t = timeEnd(s, a, b);
        if (t > 0) {
            int z = zoneEnd(s, t, b);
            return z == b ? D_TIME : D_NONE;
        }
        int e = dateTokenEnd(s, a, b);
        if (e < 0) {
            return D_NONE;
        }
        if (e == b) {
            return D_DATE;
        }
        char sep = s[e];
        if (sep == 'T' || sep == '_') {
            int te = timeEnd(s, e + 1, b);
            if (te > 0 && zoneEnd(s, te, b) == b) {
                return D_ISO;
            }
        }
        return D_NONE;
    }

    private static int digits(char[] s, int from, int to) {
        int i = from;
        while (i < to && isDigit(s[i])) {
            i++;
        }
        return i - from;
    }

    /** End of {@code h:mm[:ss[.frac]]} at {@code from}, or -1. */
    private static int timeEnd(char[] s, int from, int to) {
        int h = digits(s, from, to);
        int i = from + h;
        if (h < 1 || h > 2 || i >= to || s[i] != ':') {
            return -1;
        }
        int m = digits(s, i + 1, to);
        if (m != 2) {
            return -1;
        }
        i += 3;
        if (i < to && s[i] == ':') {
            if (digits(s, i + 1, to) != 2) {
                return -1;
            }
            i += 3;
            if (i < to && (s[i] == '.' || s[i] == ',')) {
                int f = digits(s, i + 1, to);
                if (f == 0) {
                    return -1;
                }
                i += 1 + f;
            }
        }
        return i;
    }

    /** End of an optional zone after a time: {@code Z}, {@code +hh[:]mm}, {@code am/pm}. */
    private static int zoneEnd(char[] s, int from, int to) {
        if (from >= to) {
            return from;
        }
        char c = s[from];
        if (c == 'Z' || c == 'z') {
            return from + 1;
        }
        if (c == '+' || c == '-') {
            return zoneOffsetEnd(s, from, to);
        }
        if (to - from == 2
                && (regionMatchesIgnoreCase(s, from, "am", 0, 2) || regionMatchesIgnoreCase(s, from, "pm", 0, 2))) {
            return to;
        }
        return -1;
    }

    private static int zoneOffsetEnd(char[] s, int from, int to) {
        int d = digits(s, from + 1, to);
        int i = from + 1 + d;
        if (d == 4 || (d == 2 && i == to)) {
            return i;
        }
        if (d == 2 && i < to && s[i] == ':' && digits(s, i + 1, to) == 2) {
            return i + 3;
        }
        return -1;
    }

    /** End of {@code yyyy-mm-dd}, {@code yyyy/mm/dd}, {@code dd/mm/yyyy}, {@code dd.mm.yyyy} at {@code from}, or -1. */
    private static int dateTokenEnd(char[] s, int from, int to) {
        int g1 = digits(s, from, to);
        int i = from + g1;
        if (i >= to) {
            return -1;
        }
        char sep = s[i];
        if (sep != '-' && sep != '/' && sep != '.') {
            return -1;
        }
        int g2 = digits(s, i + 1, to);
        int j = i + 1 + g2;
        if (g2 < 1 || g2 > 2 || j >= to || s[j] != sep) {
            return -1;
        }
        int g3 = digits(s, j + 1, to);
        boolean ymd = g1 == 4 && g3 >= 1 && g3 <= 2;
        boolean dmy = g1 >= 1 && g1 <= 2 && (g3 == 4 || (g3 == 2 && sep != '.'));
        return ymd || dmy ? j + 1 + g3 : -1;
    }

    // ---- key order

    /** Sorts each run of two or more {@code key=<*>} tokens by key; separators stay in place. */
    private void orderKeys(List<String> out) {
        int n = out.size();
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && isMaskedPair(out.get(j))) {
                j++;
            }
            if (j - i >= 2) {
                sortRun(out, i, j);
                i = j;
            } else {
                i = j + 1;
            }
        }
    }

    private static boolean isMaskedPair(String t) {
        int end = t.length();
        if (end > 0 && (t.charAt(end - 1) == ',' || t.charAt(end - 1) == ';')) {
            end--;
        }
        return end > 4 && t.startsWith("=" + WILDCARD, end - 4) && t.indexOf('=') == end - 4;
    }

    private void sortRun(List<String> out, int from, int to) {
        int len = to - from;
        String[] cores = new String[len];
        int[] rank = new int[len];
        for (int k = 0; k < len; k++) {
            cores[k] = core(out.get(from + k));
            rank[k] = k;
        }
        // stable insertion sort of the positions by key: runs are short
        boolean moved = false;
        for (int r = 1; r < len; r++) {
            int x = rank[r];
            int q = r - 1;
            while (q >= 0 && cores[rank[q]].compareTo(cores[x]) > 0) {
                rank[q + 1] = rank[q];
                q--;
                moved = true;
            }
            rank[q + 1] = x;
        }
        if (!moved) {
            return;
        }
        if (order == null) {
            order = new int[out.size()];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
        }
        for (int r = 0; r < len; r++) {
            int written = from + rank[r];
            order[written] = from + r;
            String t = out.get(from + r);
            out.set(from + r, cores[rank[r]] + t.substring(core(t).length()));
        }
    }

    /** A token without its trailing separator ({@code ,} or {@code ;}). */
    public static String core(String t) {
        char last = t.charAt(t.length() - 1);
        return last == ',' || last == ';' ? t.substring(0, t.length() - 1) : t;
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
        // one comparison for the common case (a printable character)
        return c <= ' ' && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0B);
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

    /** {@link #maskToken}'s scan: a character that only clears numericOnly, a digit, or one to look at. */
    private static final byte S_TEXT = 0;

    private static final byte S_DIGIT = 1;
    private static final byte S_NOTE = 2;
    private static final byte[] SCAN = new byte[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            SCAN[c] = S_DIGIT;
        }
        for (char c : ":.,-+=/\\".toCharArray()) {
            SCAN[c] = S_NOTE;
        }
    }

    String maskToken(char[] s, int from, int to) {
        // one scan collects what every rule below needs
        int eq = -1;
        int eqs = 0;
        int seps = 0;
        int dots = 0;
        boolean colon = false;
        boolean digit = false;
        boolean numericOnly = true;
        for (int i = from; i < to; i++) {
            char c = s[i];
            int kind = c < 128 ? SCAN[c] : S_TEXT;
            if (kind == S_TEXT) {
                numericOnly = false; // letters and most punctuation: nothing else to note
                continue;
            }
            if (kind == S_DIGIT) {
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
            } else if (c == '.') {
                dots++;
            } else if (c == ':') {
                colon = true;
            }
        }
        if (eqs > 1 && s[to - 1] != '=') {
            String pairs = maskPairs(s, from, to);
            if (pairs != null) {
                return pairs;
            }
        }
        if (eq > from && eq < to - 1 && isKey(s, from, eq)) {
            // key=value: the key is the constant, the value a variable, whatever it looks like
            int end = to;
            char last = s[to - 1];
            if (last == ',' || last == ';') {
                end--;
            }
            if (end > eq + 1) {
                pairs++;
                return str(s, from, eq + 1) + WILDCARD + str(s, end, to);
            }
        }
        if (seps >= 2) {
            return maskPath(s, from, to);
        }
        if (hostShape && dots >= 2 && !colon && seps == 0) {
            int a = leadEnd(s, from, to);
            int b = to - trailing(s, a, to);
            if (isHostName(s, a, b)) {
                return str(s, from, a) + WILDCARD + str(s, b, to);
            }
        }
        if (!digit) {
            return str(s, from, to);
        }
        int core = to;
        while (core > from && is(VALUE_END, s[core - 1])) {
            core--; // trailing punctuation is text, not part of the value
        }
        if (numericOnly) {
            return (isIpPort(s, from, core) ? "<*>:<*>" : WILDCARD) + str(s, core, to);
        }
        if (isHostPort(s, from, core)) {
            return "<*>:<*>" + str(s, core, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        int seg = from;
        for (int i = from; i <= to; i++) {
            if (i == to || (isDelimiter(s[i]) && !isDecimalPoint(s, i, from, to))) {
                appendSegment(sb, s, seg, i);
                if (i < to) {
                    sb.append(s[i]);
                }
                seg = i + 1;
            }
        }
        return sb.toString();
    }

    /**
     * A dotted host name: three or more labels of letters, digits and inner hyphens, the last one
     * alphabetic (not an IP or version number), none written like a class name ({@code Client}),
     * so {@code org.example.Client} stays a word and {@code gw-3.isp.example.net} is a value.
     */
    static boolean isHostName(char[] s, int from, int to) {
        int labels = 1;
        int labelStart = from;
        boolean lastAlpha = true;
        if (to - from < 5) {
            return false;
        }
        for (int i = from; i <= to; i++) {
            char c = i < to ? s[i] : '.';
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || s[labelStart] == '-' || s[i - 1] == '-') {
                    return false;
                }
                if (len > 1 && Character.isUpperCase(s[labelStart]) && Character.isLowerCase(s[labelStart + 1])) {
                    return false; // CamelCase label: a class or type name
                }
                if (i < to) {
                    labels++;
                    labelStart = i + 1;
                    lastAlpha = true;
                }
            } else if (isDigit(c) || c == '-') {
                lastAlpha = false;
            } else if (!(c < 128 && Character.isLetter(c))) {
                return false;
            }
        }
        return labels >= 3 && lastAlpha && to - labelStart >= 2;
    }

    /** A '.' between two digits belongs to the number (1.16), it does not cut the token. */
    private static boolean isDecimalPoint(char[] s, int i, int from, int to) {
        return s[i] == '.' && i > from && i + 1 < to && isDigit(s[i - 1]) && isDigit(s[i + 1]);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Paths (two or more / or \\ separators) are values; the quotes or brackets around them stay. */
    /** {@code a=1,b=x,c=} (several pairs in one token): every value is masked; null if not that shape. */
    private static String maskPairs(char[] s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int part = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s[i] == ',') {
                int eq = indexOf(s, '=', part, i);
                if (eq <= part || eq >= i || !isKey(s, part, eq)) {
                    return null;
                }
                sb.append(s, part, eq + 1 - part);
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
    private static boolean isIpPort(char[] s, int from, int to) {
        int colon = -1;
        int dots = 0;
        for (int i = from; i < to; i++) {
            char c = s[i];
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
    private static boolean isHostPort(char[] s, int from, int to) {
        int colon = to - 1;
        while (colon > from && s[colon] != ':') {
            colon--; // bounded to the token: String.lastIndexOf would scan the whole line
        }
        if (colon <= from || colon >= to - 1) {
            return false;
        }
        for (int i = colon + 1; i < to; i++) {
            if (!isDigit(s[i])) {
                return false;
            }
        }
        boolean dot = false;
        boolean letter = false;
        for (int i = from; i < colon; i++) {
            char c = s[i];
            if (c == '.') {
                dot = true;
            } else if (Character.isLetter(c)) {
                letter = true;
            } else if (!isDigit(c) && c != '-') {
                return false;
            }
        }
        return dot && letter && s[from] != '.' && s[colon - 1] != '.';
    }

    /** A path (two or more / or \\ separators) is a value; the quotes or brackets around it stay. */
    private String maskPath(char[] s, int from, int to) {
        int a = from;
        while (a < to && is(PATH_LEAD, s[a])) {
            a++;
        }
        int b = to;
        while (b > a && is(PATH_TRAIL, s[b - 1])) {
            b--;
        }
        return str(s, from, a) + WILDCARD + str(s, b, to);
    }

    private static boolean isKey(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static void appendSegment(StringBuilder sb, char[] s, int from, int to) {
        int digits = 0;
        int letters = 0;
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (Character.isLetter(c)) {
                letters++;
            }
        }
        boolean hexLiteral = to - from > 2 && s[from] == '0' && (s[from + 1] == 'x' || s[from + 1] == 'X');
        if (digits == 0 || (digits == 1 && letters >= 2 && !hexLiteral && !isHexish(s, from, to))) {
            sb.append(s, from, to - from);
        } else {
            sb.append(WILDCARD);
        }
    }

    /** True for short hex-looking strings such as {@code 0a} or {@code ff3e}; they are values. */
    private static boolean isHexish(char[] s, int from, int to) {
        if (to - from < 4) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = Character.toLowerCase(s[i]);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
