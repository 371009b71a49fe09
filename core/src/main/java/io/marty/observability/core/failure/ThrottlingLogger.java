package io.marty.observability.core.failure;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs at most {@code perMinute} records per minute, then one note that further records are
 * suppressed until the minute is over; the next minute starts with how many were suppressed. Used
 * only on failure paths, so it may lock.
 */
final class ThrottlingLogger {
    private static final String SOURCE = InstrumentationErrors.class.getName();
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final Logger logger;
    private final String subject;
    private final int perMinute;
    private final LongSupplier nanoClock;
    private long windowStart;
    private int inWindow;
    private long suppressed;

    ThrottlingLogger(Logger logger, String subject, int perMinute, LongSupplier nanoClock) {
        this.logger = logger;
        this.subject = subject;
        this.perMinute = perMinute;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    void log(Level level, String message, Throwable error) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long dropped = 0;
        boolean note;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (now - windowStart >= MINUTE_NANOS) {
                windowStart = now;
                inWindow = 0;
                dropped = suppressed;
                suppressed = 0;
            }
            inWindow++;
            if (inWindow > perMinute + 1) {
                suppressed++;
                return;
            }
            note = inWindow == perMinute + 1;
            if (note) {
                suppressed++;
            }
        }
        if (note) {
            logger.logp(
                    level,
                    SOURCE,
                    subject,
                    "more than {0} errors in a minute from {1}: suppressing their log until the minute is"
                            + " over (mmf_instrumentation_errors_total still counts every one)",
                    new Object[] {perMinute, subject});
            return;
        }
        String text = dropped > 0 ? message + " (" + dropped + " similar errors were not logged)" : message;
        logger.logp(level, SOURCE, subject, text, error);
    }
}
