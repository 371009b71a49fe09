package io.marty.observability.core.testing;

import io.marty.observability.core.failure.InstrumentationErrors;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what {@link InstrumentationErrors} logs while open. Shared through core's test jar. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(InstrumentationErrors.LOGGER_NAME);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

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
