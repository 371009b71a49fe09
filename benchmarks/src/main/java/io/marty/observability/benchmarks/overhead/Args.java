package io.marty.observability.benchmarks.overhead;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} command-line arguments of the harness programs; bad input fails naming the key. */
final class Args {
    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    static Args parse(String[] argv) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --key value, got '" + a + "'");
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            values.put(a.substring(2), argv[++i]);
        }
        return new Args(values);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String get(String key, String def) {
        return values.getOrDefault(key, def);
    }

    String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing required --" + key);
        }
        return v;
    }

    int getInt(String key, int def) {
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got '" + v + "'");
        }
    }

    double getDouble(String key, double def) {
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number, got '" + v + "'");
        }
    }
}
