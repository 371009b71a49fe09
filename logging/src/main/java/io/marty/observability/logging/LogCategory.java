package io.marty.observability.logging;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The MMF log categories. A category travels on an event as an SLF4J {@link Marker} named {@code
 * mmf.category.<name>} (see {@link #marker()}), because Logback turbo filters see markers before an
 * event is even created, so sampling per category costs nothing for dropped events. A key-value
 * {@code category=<name>} is accepted as well. The encoder writes the lowercase {@link #label()}.
 *
 * <pre>{@code
 * log.atInfo().addMarker(LogCategory.BUSINESS.marker()).setMessage("order placed").log();
 * }</pre>
 */
public enum LogCategory {
    APPLICATION,
    SECURITY,
    PERFORMANCE,
    BUSINESS,
    INFRASTRUCTURE,
    AUDIT,
    ACCESS,
    ERROR;

    /** Prefix of category marker names. */
    public static final String MARKER_PREFIX = "mmf.category.";

    private static final LogCategory[] VALUES = values();

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * Markers are made on first use, not with the enum: Logback may configure the encoder (which
     * loads this enum) while SLF4J's {@code MarkerFactory} is itself being initialised, and a
     * {@code MarkerFactory} call at that moment fails on its null factory.
     */
    private static final class Markers {
        static final Marker[] BY_ORDINAL = new Marker[VALUES.length];

        static {
            for (LogCategory c : VALUES) {
                BY_ORDINAL[c.ordinal()] = MarkerFactory.getMarker(MARKER_PREFIX + c.label);
            }
        }
    }

    /** Lowercase name as written to logs, e.g. {@code business}. */
    public String label() {
        return label;
    }

    /** The marker that tags an event with this category. */
    public Marker marker() {
        return Markers.BY_ORDINAL[ordinal()];
    }

    /** The category of a marker, or null when the marker is not a category marker. Allocation-free. */
    public static @Nullable LogCategory fromMarker(@Nullable Marker m) {
        if (m == null) {
            return null;
        }
        // a marker exists, so MarkerFactory is initialised and the markers can be made
        Marker[] markers = Markers.BY_ORDINAL;
        for (int i = 0; i < markers.length; i++) {
            if (markers[i] == m) {
                return VALUES[i];
            }
        }
        String name = m.getName();
        if (name.startsWith(MARKER_PREFIX)) {
            return fromLabel(name.substring(MARKER_PREFIX.length()));
        }
        return null;
    }

    /** The category for a label such as {@code "security"} (case-insensitive), or null. */
    public static @Nullable LogCategory fromLabel(@Nullable String label) {
        if (label == null) {
            return null;
        }
        for (LogCategory c : VALUES) {
            if (c.label.equalsIgnoreCase(label)) {
                return c;
            }
        }
        return null;
    }

    /** Parses a label, failing with a message that names the bad value. */
    public static LogCategory parse(String label) {
        LogCategory c = fromLabel(label == null ? null : label.trim());
        if (c == null) {
            throw new IllegalArgumentException("unknown log category '" + label
                    + "'; expected one of application, security, performance, business, infrastructure, audit,"
                    + " access, error");
        }
        return c;
    }
}
