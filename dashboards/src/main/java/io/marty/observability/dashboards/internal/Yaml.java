package io.marty.observability.dashboards.internal;

/** Single-quoted YAML scalars for the hand-written, stable YAML this module generates. */
public final class Yaml {
    private Yaml() {}

    /** Single-quoted YAML scalar. */
    public static String q(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
