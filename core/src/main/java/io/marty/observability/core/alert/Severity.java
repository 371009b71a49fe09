package io.marty.observability.core.alert;

import java.util.Locale;

/** Alert severity; {@link #label()} is the Alertmanager {@code severity} label value. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code info|warning|critical} (case-insensitive); throws naming the bad value. */
    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("severity must be info, warning or critical, got '" + text + "'");
    }
}
