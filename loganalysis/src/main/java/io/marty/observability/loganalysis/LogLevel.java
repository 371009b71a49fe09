package io.marty.observability.loganalysis;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Normalised severity of a log event. Parsing accepts the usual spellings (SLF4J, syslog, Python, OTLP
 * severity numbers) so detectors can compare levels without string handling on the hot path.
 */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    CRITICAL,
    /** No level given or not recognised. */
    UNKNOWN;

    /** Lower-case label value used in metrics and JSON output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this level is at least {@code other} (UNKNOWN is never at least anything). */
    public boolean atLeast(LogLevel other) {
        return this != UNKNOWN && other != UNKNOWN && ordinal() >= other.ordinal();
    }

    /**
     * Parses a level name case-insensitively ({@code WARNING}, {@code FATAL}, {@code ERR}, {@code
     * SEVERE} …); returns {@link #UNKNOWN} for anything else, never throws.
     */
    public static LogLevel parse(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return UNKNOWN;
        }
        switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE":
            case "FINEST":
            case "FINER":
                return TRACE;
            case "DEBUG":
            case "FINE":
                return DEBUG;
            case "INFO":
            case "INFORMATION":
            case "NOTICE":
            case "CONFIG":
                return INFO;
            case "WARN":
            case "WARNING":
                return WARN;
            case "ERROR":
            case "ERR":
            case "SEVERE":
                return ERROR;
            case "CRITICAL":
            case "CRIT":
            case "FATAL":
            case "ALERT":
            case "EMERG":
            case "EMERGENCY":
                return CRITICAL;
            default:
                return UNKNOWN;
        }
    }

    /** Maps an OTLP {@code SeverityNumber} (1..24) to a level. */
    public static LogLevel fromOtlpSeverity(int severityNumber) {
        if (severityNumber <= 0) {
            return UNKNOWN;
        } else if (severityNumber <= 4) {
            return TRACE;
        } else if (severityNumber <= 8) {
            return DEBUG;
        } else if (severityNumber <= 12) {
            return INFO;
        } else if (severityNumber <= 16) {
            return WARN;
        } else if (severityNumber <= 20) {
            return ERROR;
        }
        return CRITICAL;
    }
}
