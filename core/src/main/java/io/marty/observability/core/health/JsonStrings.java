package io.marty.observability.core.health;

/**
 * Writes a Java string as a JSON string literal: the escaping {@link HealthReport#toJson()} uses, public
 * so that modules writing small JSON documents by hand (SLO reports, health bodies) escape the same
 * way without a JSON library.
 *
 * <pre>{@code
 * StringBuilder sb = new StringBuilder("{\"message\":");
 * JsonStrings.quote(sb, "disk \"/\" full\n");   // "disk \"/\" full\n"
 * sb.append('}');
 * }</pre>
 *
 * <p>Escapes {@code "} and {@code \}, writes {@code \n \r \t} as such and other control characters as
 * {@code \}{@code u00XX}; everything else (including non-ASCII) is written as is.
 */
public final class JsonStrings {
    private JsonStrings() {}

    /** Appends {@code s} to {@code sb} quoted and escaped; {@code s} must not be null. */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** {@code s} as a quoted, escaped JSON string literal; {@code s} must not be null. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }
}
