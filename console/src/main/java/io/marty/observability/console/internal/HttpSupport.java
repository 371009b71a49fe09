package io.marty.observability.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Small helpers shared by the console's HTTP handlers. */
public final class HttpSupport {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    static final String TOKEN_COOKIE = "marty_console_token";

    private HttpSupport() {}

    /** Thrown by handlers to answer with a status and a plain message. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static Map<String, String> query(Exchange ex) {
        String raw = ex.rawQuery();
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                m.put(
                        URLDecoder.decode(k, StandardCharsets.UTF_8),
                        URLDecoder.decode(v, StandardCharsets.UTF_8).trim());
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "malformed query parameter '" + k + "'");
            }
        }
        return m;
    }

    static int intParam(Map<String, String> q, String name, int def, int max) {
        return param(q, name, def, "a non-negative integer", v -> {
            int i = Integer.parseInt(v);
            if (i < 0) {
                throw new NumberFormatException();
            }
            return Math.min(i, max);
        });
    }

    static long longParam(Map<String, String> q, String name) {
        return param(q, name, 0L, "an integer", Long::parseLong);
    }

    static double doubleParam(Map<String, String> q, String name) {
        return param(q, name, 0.0, "a non-negative number", v -> {
            double d = Double.parseDouble(v);
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        });
    }

    /**
     * A numeric query parameter: {@code def} when absent or empty, else {@code parse}d; a {@link
     * NumberFormatException} from {@code parse} answers 400 naming the parameter, what it must be and the
     * bad value.
     */
    private static <T> T param(Map<String, String> q, String name, T def, String mustBe, Function<String, T> parse) {
        String v = q.getOrDefault(name, "");
        if (v.isEmpty()) {
            return def;
        }
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "query parameter '" + name + "' must be " + mustBe + ", got '" + v + "'");
        }
    }

    /** True when no token is configured or the request carries it (Bearer header or cookie). */
    static boolean authorized(Exchange ex, byte[] token) {
        if (token == null) {
            return true;
        }
        String auth = ex.header("Authorization");
        // auth schemes are case-insensitive (RFC 9110 section 11.1)
        if (auth != null
                && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && same(auth.substring(7).trim(), token)) {
            return true;
        }
        for (String header : ex.headers("Cookie")) {
            for (String c : header.split(";")) {
                String t = c.trim();
                if (t.startsWith(TOKEN_COOKIE + "=") && same(t.substring(TOKEN_COOKIE.length() + 1), token)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean same(String candidate, byte[] token) {
        return MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), token);
    }

    static void sendJson(Exchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void sendText(Exchange ex, int status, String message) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void send(Exchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.setHeader("X-Content-Type-Options", "nosniff");
        ex.setHeader("Cache-Control", "no-store");
        ex.respond(status, contentType, body);
    }

    /**
     * Reads at most {@code max} bytes; returns null when the stream holds more (the caller answers
     * 413), so an oversize body is never buffered whole.
     */
    static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] buf = in.readNBytes(max + 1);
        return buf.length > max ? null : buf;
    }
}
