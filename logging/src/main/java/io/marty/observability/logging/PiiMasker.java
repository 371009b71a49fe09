package io.marty.observability.logging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Masks personal data and secrets before a log event leaves the process.
 *
 * <p>Two mechanisms:
 *
 * <ul>
 *   <li><b>Keys</b>: a value whose key (field name, header name, nested map key) ends with a sensitive
 *       token is masked whole. Keys are compared case-insensitively ignoring {@code - _ .} and other
 *       punctuation, so {@code password}, {@code db_password}, {@code X-Api-Key} and {@code
 *       accessToken} all match the defaults.
 *   <li><b>Patterns</b> in free text (messages, string values, exception messages): e-mail addresses,
 *       card numbers (13–19 digits, optionally grouped by spaces or dashes, Luhn-checked), {@code
 *       Bearer} tokens and JWTs. A single cheap character scan runs first; regexes only run when it
 *       finds a trigger ({@code @}, a long digit run, {@code earer }, {@code eyJ}).
 * </ul>
 *
 * <pre>{@code
 * PiiMasker masker = PiiMasker.builder()
 *     .addSensitiveKeys("iban", "date_of_birth")
 *     .strategy(MaskingStrategy.HASH)
 *     .salt(System.getenv("LOG_HASH_SALT"))
 *     .build();
 * masker.maskText("mail jane@example.com");      // "mail sha256:…"
 * masker.isSensitiveKey("X-Api-Key");            // true
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PiiMasker {
    /** Default sensitive key tokens (matched as normalized suffixes of a key). */
    public static final List<String> DEFAULT_SENSITIVE_KEYS = List.of(
            "password",
            "passwd",
            "pwd",
            "secret",
            "token",
            "authorization",
            "cookie",
            "api_key",
            "apikey",
            "card_number",
            "credit_card",
            "cvv",
            "cvc",
            "ssn",
            "private_key",
            "credentials");

    /** Header names always redacted by {@link #redactHeaders(Map)}, in addition to sensitive keys. */
    private static final List<String> SENSITIVE_HEADERS =
            List.of("authorization", "proxy_authorization", "cookie", "set_cookie", "x_api_key");

    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

    private static final PiiMasker DEFAULTS = builder().build();
    private static final PiiMasker NONE = builder()
            .sensitiveKeys(List.of())
            .maskEmails(false)
            .maskCardNumbers(false)
            .maskBearerTokens(false)
            .maskJwts(false)
            .build();

    private final char[][] keyTokens;
    private final char[][] headerTokens;
    private final MaskingStrategy strategy;
    private final byte[] salt;
    private final boolean emails;
    private final boolean cards;
    private final boolean bearer;
    private final boolean jwts;
    private static final int MAX_CACHED_KEYS = 4096;
    private final ConcurrentHashMap<String, Boolean> keyVerdicts = new ConcurrentHashMap<>();
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(PiiMasker::newDigest);

    private PiiMasker(Builder b) {
        this.keyTokens = normalizeAll(b.keys);
        List<String> headers = new ArrayList<>(SENSITIVE_HEADERS);
        headers.addAll(b.keys);
        this.headerTokens = normalizeAll(headers);
        this.strategy = b.strategy;
        this.salt = b.salt.getBytes(StandardCharsets.UTF_8);
        this.emails = b.emails;
        this.cards = b.cards;
        this.bearer = b.bearer;
        this.jwts = b.jwts;
    }

    /** The default masker: {@link #DEFAULT_SENSITIVE_KEYS}, every pattern, {@link MaskingStrategy#REDACT}. */
    public static PiiMasker defaults() {
        return DEFAULTS;
    }

    /**
     * The masker described by Logback-style properties: {@code strategy} ({@code redact|partial|hash},
     * blank = redact), {@code salt} and {@code extraKeys} (comma-separated, added to the defaults).
     *
     * @throws IllegalArgumentException naming the bad strategy or key
     */
    public static PiiMasker fromProperties(
            @Nullable String strategy, @Nullable String salt, @Nullable String extraKeys) {
        Builder b = builder().salt(salt);
        if (strategy != null && !strategy.isBlank()) {
            b.strategy(strategy);
        }
        if (extraKeys != null && !extraKeys.isBlank()) {
            for (String k : extraKeys.split(",")) {
                if (!k.isBlank()) {
                    b.addSensitiveKeys(k.trim());
                }
            }
        }
        return b.build();
    }

    /** A masker that changes nothing. */
    public static PiiMasker none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The strategy applied to sensitive values. */
    public MaskingStrategy strategy() {
        return strategy;
    }

    /** True when this masker can change anything at all. */
    public boolean isActive() {
        return keyTokens.length > 0 || emails || cards || bearer || jwts;
    }

    /** True if values under {@code key} must be masked whole. Allocation-free once a key is known. */
    public boolean isSensitiveKey(@Nullable String key) {
        if (key == null) {
            return false;
        }
        // keys are mostly literals: remember the verdict (bounded; unknown keys beyond it are matched)
        Boolean known = keyVerdicts.get(key);
        if (known != null) {
            return known;
        }
        boolean sensitive = matchesAny(key, keyTokens);
        if (keyVerdicts.size() < MAX_CACHED_KEYS) {
            keyVerdicts.put(key, sensitive);
        }
        return sensitive;
    }

    /** Masks a whole sensitive value with the configured strategy. */
    public @Nullable String maskValue(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        String s = String.valueOf(value);
        switch (strategy) {
            case PARTIAL:
                return s.length() <= 4 ? "****" : "****" + s.substring(s.length() - 4);
            case HASH:
                return hash(s);
            default:
                return "[REDACTED]";
        }
    }

    /**
     * Masks the patterns found in free text. Returns {@code text} itself (no allocation) when the
     * pre-scan finds nothing that could match. Non-null in, non-null out, so {@code masker::maskText}
     * serves as a core {@code TelemetryMasker}.
     */
    public String maskText(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        int triggers = scan(text);
        if (triggers == 0) {
            return text;
        }
        String s = text;
        if ((triggers & T_JWT) != 0) {
            s = replace(s, JWT, "jwt");
        }
        if ((triggers & T_BEARER) != 0) {
            s = replaceBearer(s);
        }
        if ((triggers & T_EMAIL) != 0) {
            s = replace(s, EMAIL, "email");
        }
        if ((triggers & T_CARD) != 0) {
            s = maskCards(s);
        }
        return s;
    }

    /**
     * Returns a masked copy of a value: maps have sensitive keys masked and every other value masked
     * recursively, collections and arrays element-wise, strings by {@link #maskText}; other values are
     * returned unchanged. Nesting deeper than 8 levels is replaced by {@code "[too deep]"}.
     */
    public @Nullable Object maskObject(@Nullable Object value) {
        return maskObject(value, 0);
    }

    private Object maskObject(Object value, int depth) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (depth > 8) {
            return "[too deep]";
        }
        if (value instanceof CharSequence) {
            return maskText(value.toString());
        }
        if (value instanceof Map) {
            Map<?, ?> in = (Map<?, ?>) value;
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, in.size() * 2));
            for (Map.Entry<?, ?> e : in.entrySet()) {
                String k = String.valueOf(e.getKey());
                out.put(k, isSensitiveKey(k) ? maskValue(e.getValue()) : maskObject(e.getValue(), depth + 1));
            }
            return out;
        }
        if (value instanceof Collection) {
            List<Object> out = new ArrayList<>(((Collection<?>) value).size());
            for (Object o : (Collection<?>) value) {
                out.add(maskObject(o, depth + 1));
            }
            return out;
        }
        if (value instanceof Object[]) {
            return maskObject(Arrays.asList((Object[]) value), depth);
        }
        return maskText(String.valueOf(value));
    }

    /**
     * Header redaction for access logs: returns a copy where sensitive headers ({@code Authorization},
     * {@code Cookie}, {@code Set-Cookie}, {@code Proxy-Authorization}, {@code X-Api-Key} and every
     * sensitive key) are masked whole, and other values are pattern-masked. Multiple values are
     * joined with {@code ", "}.
     */
    public Map<String, String> redactHeaders(@Nullable Map<String, ? extends @Nullable Collection<String>> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers == null) {
            return out;
        }
        for (Map.Entry<String, ? extends Collection<String>> e : headers.entrySet()) {
            String joined = e.getValue() == null ? "" : String.join(", ", e.getValue());
            out.put(e.getKey(), redactHeader(e.getKey(), joined));
        }
        return out;
    }

    /** Masks one header value: whole when the header name is sensitive, else by pattern. */
    public @Nullable String redactHeader(@Nullable String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        if (name != null && matchesAny(name, headerTokens)) {
            return maskValue(value);
        }
        return maskText(value);
    }

    // ---- pattern scan --------------------------------------------------------------------------

    private static final int T_EMAIL = 1;
    private static final int T_CARD = 2;
    private static final int T_BEARER = 4;
    private static final int T_JWT = 8;

    /** One pass over the text; returns a bit set of the patterns worth running. */
    private int scan(String s) {
        int found = 0;
        int digits = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits >= 13 && cards) {
                    found |= T_CARD;
                }
                continue;
            }
            if (c != ' ' && c != '-') {
                digits = 0;
            }
            if (c == '@' && emails) {
                found |= T_EMAIL;
            } else if (c == 'e' && jwts && i + 2 < n && s.charAt(i + 1) == 'y' && s.charAt(i + 2) == 'J') {
                found |= T_JWT;
            } else if ((c == 'r' || c == 'R') && bearer && i >= 5 && i + 1 < n && isSpace(s.charAt(i + 1))) {
                if (s.regionMatches(true, i - 5, "bearer", 0, 6)) {
                    found |= T_BEARER;
                }
            }
        }
        return found;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private String replace(String s, Pattern p, String kind) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int last = 0;
        do {
            sb.append(s, last, m.start()).append(maskPattern(m.group(), kind));
            last = m.end();
        } while (m.find());
        return sb.append(s, last, s.length()).toString();
    }

    private String replaceBearer(String s) {
        Matcher m = BEARER.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int last = 0;
        do {
            String token = s.substring(m.end(1), m.end()).trim();
            String masked = strategy == MaskingStrategy.HASH ? hash(token) : "[REDACTED]";
            sb.append(s, last, m.start()).append(m.group(1)).append(' ').append(masked);
            last = m.end();
        } while (m.find());
        return sb.append(s, last, s.length()).toString();
    }

    private String maskPattern(String match, String kind) {
        switch (strategy) {
            case HASH:
                return hash(match);
            case PARTIAL:
                if (kind.equals("email")) {
                    int at = match.indexOf('@');
                    return match.charAt(0) + "***" + match.substring(at);
                }
                if (kind.equals("card")) {
                    return "****" + match.substring(match.length() - 4);
                }
                return "[REDACTED:" + kind + "]";
            default:
                return "[REDACTED:" + kind + "]";
        }
    }

    /** Finds digit runs of 13–19 digits (single spaces/dashes allowed between) passing Luhn. */
    private String maskCards(String s) {
        StringBuilder sb = null;
        int last = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!isDigit(c) || (i > 0 && Character.isLetterOrDigit(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int start = i;
            int end = i;
            int count = 0;
            int j = i;
            while (j < n) {
                char d = s.charAt(j);
                if (isDigit(d)) {
                    count++;
                    end = j + 1;
                    j++;
                } else if ((d == ' ' || d == '-') && j + 1 < n && isDigit(s.charAt(j + 1)) && count > 0) {
                    j++;
                } else {
                    break;
                }
            }
            boolean boundary = end >= n || !Character.isLetterOrDigit(s.charAt(end));
            if (count >= 13 && count <= 19 && boundary && luhn(s, start, end)) {
                if (sb == null) {
                    sb = new StringBuilder(n);
                }
                sb.append(s, last, start).append(maskPattern(digitsOnly(s, start, end), "card"));
                last = end;
            }
            i = Math.max(end, i + 1);
        }
        if (sb == null) {
            return s;
        }
        return sb.append(s, last, n).toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String digitsOnly(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            if (isDigit(s.charAt(i))) {
                sb.append(s.charAt(i));
            }
        }
        return sb.toString();
    }

    static boolean luhn(CharSequence s, int from, int to) {
        int sum = 0;
        boolean dbl = false;
        for (int i = to - 1; i >= from; i--) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                continue;
            }
            int d = c - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    // ---- keys ----------------------------------------------------------------------------------

    private static char[][] normalizeAll(Collection<String> keys) {
        return keys.stream()
                .map(PiiMasker::normalize)
                .filter(k -> !k.isEmpty())
                .distinct()
                .map(String::toCharArray)
                .toArray(char[][]::new);
    }

    /** Lowercase letters and digits only: {@code X-Api_Key} → {@code xapikey}. */
    static String normalize(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /** Does the normalized form of {@code key} end with one of the tokens? Walks backwards, no copy. */
    private static boolean matchesAny(String key, char[][] tokens) {
        for (char[] token : tokens) {
            int t = token.length - 1;
            for (int i = key.length() - 1; i >= 0 && t >= 0; i--) {
                char c = key.charAt(i);
                char lower;
                if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                    lower = c;
                } else if (c >= 'A' && c <= 'Z') {
                    lower = (char) (c + 32);
                } else if (c < 0x80 || !Character.isLetterOrDigit(c)) {
                    continue; // punctuation is ignored
                } else {
                    lower = Character.toLowerCase(c);
                }
                if (lower != token[t]) {
                    break;
                }
                t--;
            }
            if (t < 0) {
                return true;
            }
        }
        return false;
    }

    private String hash(String value) {
        MessageDigest md = sha256.get();
        md.reset();
        md.update(salt);
        byte[] d = md.digest(value.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[7 + 16];
        "sha256:".getChars(0, 7, out, 0);
        for (int i = 0; i < 8; i++) {
            out[7 + 2 * i] = Character.forDigit((d[i] >> 4) & 0xF, 16);
            out[8 + 2 * i] = Character.forDigit(d[i] & 0xF, 16);
        }
        return new String(out);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    /** Builder for {@link PiiMasker}. Defaults: every pattern on, default keys, REDACT, empty salt. */
    public static final class Builder {
        private final List<String> keys = new ArrayList<>(DEFAULT_SENSITIVE_KEYS);
        private MaskingStrategy strategy = MaskingStrategy.REDACT;
        private String salt = "";
        private boolean emails = true;
        private boolean cards = true;
        private boolean bearer = true;
        private boolean jwts = true;

        private Builder() {}

        /** Replaces the sensitive key list (the defaults are dropped). */
        public Builder sensitiveKeys(Collection<String> keys) {
            Objects.requireNonNull(keys, "sensitiveKeys");
            this.keys.clear();
            keys.forEach(this::addKey);
            return this;
        }

        /** Adds sensitive keys to the current list. */
        public Builder addSensitiveKeys(String... keys) {
            for (String k : keys) {
                addKey(k);
            }
            return this;
        }

        private void addKey(String k) {
            if (k == null || normalize(k).isEmpty()) {
                throw new IllegalArgumentException("sensitive key must contain a letter or digit: '" + k + "'");
            }
            keys.add(k.trim());
        }

        public Builder strategy(MaskingStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Parses {@code redact}, {@code partial} or {@code hash} (case-insensitive). */
        public Builder strategy(String strategy) {
            try {
                return strategy(MaskingStrategy.valueOf(strategy.trim().toUpperCase(Locale.ROOT)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "maskingStrategy must be one of redact, partial, hash; got '" + strategy + "'", e);
            }
        }

        /** Salt mixed into {@link MaskingStrategy#HASH}; keep it secret and stable across instances. */
        public Builder salt(@Nullable String salt) {
            this.salt = salt == null ? "" : salt;
            return this;
        }

        public Builder maskEmails(boolean on) {
            this.emails = on;
            return this;
        }

        public Builder maskCardNumbers(boolean on) {
            this.cards = on;
            return this;
        }

        public Builder maskBearerTokens(boolean on) {
            this.bearer = on;
            return this;
        }

        public Builder maskJwts(boolean on) {
            this.jwts = on;
            return this;
        }

        public PiiMasker build() {
            return new PiiMasker(this);
        }
    }
}
