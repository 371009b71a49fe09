package io.marty.observability.spec;

/**
 * Writing YAML by hand for generated files (Prometheus rules, promtool tests, Alertmanager routes).
 *
 * <pre>{@code
 * sb.append("expr: ").append(YamlText.quote("rate(x[5m]) > 0")).append('\n');   // expr: 'rate(x[5m]) > 0'
 * }</pre>
 */
public final class YamlText {
    private YamlText() {}

    /** {@code s} as a single-quoted YAML scalar (quotes doubled). */
    public static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
