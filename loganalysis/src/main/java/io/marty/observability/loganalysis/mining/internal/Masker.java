package io.marty.observability.loganalysis.mining.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a log message into whitespace-separated tokens and masks the variable parts generically
 * (numbers, hex, IPs, ports, times, ids with digits, key=value values). No regex: one pass over the
 * characters, so it can run on every line.
 *
 * <p>A token is cut at delimiters ({@code : = , ( ) [ ] { } @ " ' ; |}) into segments; a segment
 * holding a digit becomes {@code <*>} unless it is a word with a single version-like digit
 * ({@code ssh2}, {@code SOCKS5}, {@code jk2_init}), which are names far more often than values.
 * A token made only of digits and {@code : . , -} (times, dates, numbers) becomes one {@code <*>}.
 */
public final class Masker {
    public static final String WILDCARD = "<*>";

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
            out.add(maskToken(line, start, i));
        }
        return out.toArray(new String[0]);
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
        boolean digit = false;
        boolean numericOnly = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != ':' && c != '.' && c != ',' && c != '-' && c != '+') {
                numericOnly = false;
            }
        }
        if (!digit) {
            return s.substring(from, to);
        }
        if (numericOnly) {
            return WILDCARD;
        }
        StringBuilder sb = new StringBuilder(to - from);
        int seg = from;
        for (int i = from; i <= to; i++) {
            if (i == to || isDelimiter(s.charAt(i))) {
                appendSegment(sb, s, seg, i);
                if (i < to) {
                    sb.append(s.charAt(i));
                }
                seg = i + 1;
            }
        }
        return sb.toString();
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
        if (digits == 0 || (digits == 1 && letters >= 2 && !isHexish(s, from, to))) {
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
