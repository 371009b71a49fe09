package io.marty.observability.testing;

import io.marty.observability.core.failure.InstrumentationErrors;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what Marty's instrumentation logs while open (the JUL logger {@value
 * InstrumentationErrors#LOGGER_NAME}, throttled per component), to prove an integration fails open:
 *
 * <pre>{@code
 * try (MartyTesting marty = MartyTesting.start("orders"); LogCapture log = new LogCapture()) {
 *     marty.observability().metrics().red().addListener(r -> { throw new IllegalStateException("boom"); });
 *     // ... send 20 requests through the filter: every response is still served ...
 *     log.assertCountedAndThrottled(marty, InstrumentationErrors.REQUEST_LISTENER, 20);
 * }
 * }</pre>
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(InstrumentationErrors.LOGGER_NAME);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    /** Starts capturing; {@link #close()} stops. */
    public LogCapture() {
        logger.addHandler(this);
    }

    /** Records whose formatted message mentions {@code text}. */
    public List<LogRecord> mentioning(String text) {
        return records.stream()
                .filter(r ->
                        new java.util.logging.SimpleFormatter().formatMessage(r).contains(text))
                .toList();
    }

    /** Records whose formatted message starts with {@code prefix}. */
    public List<LogRecord> startingWith(String prefix) {
        return records.stream()
                .filter(r ->
                        new java.util.logging.SimpleFormatter().formatMessage(r).startsWith(prefix))
                .toList();
    }

    /**
     * Asserts that {@code component} counted {@code failures} in {@code mmf_instrumentation_errors_total}
     * (waiting a little for asynchronous completions) and that its log was throttled: at most
     * {@link InstrumentationErrors#LOGS_PER_MINUTE} records, then one note.
     */
    public void assertCountedAndThrottled(MartyTesting marty, String component, int failures) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double counted = marty.instrumentationErrors(component);
        while (counted != failures && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            counted = marty.instrumentationErrors(component);
        }
        if (counted != failures) {
            throw new AssertionError("mmf_instrumentation_errors_total{component=\"" + component + "\"} is " + counted
                    + ", expected " + failures);
        }
        List<LogRecord> logged = startingWith(component + ":");
        int expectedRecords = Math.min(failures, InstrumentationErrors.LOGS_PER_MINUTE);
        if (logged.size() != expectedRecords) {
            throw new AssertionError(component + ": " + logged.size() + " log records, expected " + expectedRecords
                    + " (at most " + InstrumentationErrors.LOGS_PER_MINUTE + " a minute)");
        }
        if (logged.stream().anyMatch(r -> r.getThrown() == null)) {
            throw new AssertionError(component + ": a log record without its exception");
        }
        int notes = mentioning("from " + component + ": suppressing").size();
        int expectedNotes = failures > InstrumentationErrors.LOGS_PER_MINUTE ? 1 : 0;
        if (notes != expectedNotes) {
            throw new AssertionError(component + ": " + notes + " 'suppressing' notes, expected " + expectedNotes);
        }
    }

    /** Every record captured so far. */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
