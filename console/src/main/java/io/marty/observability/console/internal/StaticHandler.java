package io.marty.observability.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the web UI from classpath resources. A strict Content-Security-Policy (no inline script)
 * backs up the UI's own escaping: even a missed escape cannot run injected script.
 */
final class StaticHandler implements ConsoleHandler.Route {
    private static final String BASE = "/io/marty/observability/console/ui/";
    /** uPlot (charts), served from its WebJar under fixed names. */
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/dist/";

    private static final Map<String, String> VENDOR =
            Map.of("uplot.js", UPLOT + "uPlot.iife.min.js", "uplot.css", UPLOT + "uPlot.min.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final byte[] token;

    /** The version of an npm WebJar on the classpath (its resources live under that version). */
    private static String webjarVersion(String name) {
        java.util.Properties p = new java.util.Properties();
        try (InputStream in = StaticHandler.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // falls through to a path that is not found: the page shows no charts, the tables remain
        }
        return p.getProperty("version", "unknown");
    }

    StaticHandler(byte[] token) {
        this.token = token;
    }

    @Override
    public void handle(Exchange ex) throws IOException {
        String path = ex.path();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!name.matches("[a-z]+\\.(html|js|css|svg)")) { // static names only; not a hot path
            HttpSupport.sendText(ex, 404, "not found");
            return;
        }
        if (!HttpSupport.authorized(ex, token)) {
            String given = HttpSupport.query(ex).get("token");
            if (given == null || !HttpSupport.same(given, token)) {
                HttpSupport.sendText(ex, 401, "this console needs its access token: open it as /?token=<token>");
                return;
            }
            // browsers cannot send a Bearer header on navigation: remember the token in a cookie
            ex.addHeader("Set-Cookie", HttpSupport.TOKEN_COOKIE + "=" + given + "; Path=/; HttpOnly; SameSite=Strict");
        }
        byte[] body;
        String resource = VENDOR.getOrDefault(name, BASE + name);
        try (InputStream in = StaticHandler.class.getResourceAsStream(resource)) {
            if (in == null) {
                HttpSupport.sendText(ex, 404, "not found");
                return;
            }
            body = in.readAllBytes();
        }
        ex.setHeader("Content-Security-Policy", CSP);
        ex.setHeader("X-Frame-Options", "DENY");
        ex.setHeader("Referrer-Policy", "no-referrer");
        String ext = name.substring(name.lastIndexOf('.') + 1);
        HttpSupport.send(ex, 200, TYPES.get(ext), body);
    }
}
