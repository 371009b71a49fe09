package io.marty.observability.core.failure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Core's own capture of the instrumentation logger (core's tests cannot use the testing artifact,
 * which depends on core; other modules use {@code io.marty.observability.testing.LogCapture}).
 */
public final class InstrumentationLog extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(InstrumentationErrors.LOGGER_NAME);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public InstrumentationLog() {
        logger.addHandler(this);
    }

    public List<LogRecord> records() {
        return records;
    }

    /** Records whose formatted message mentions {@code text}. */
    public List<LogRecord> mentioning(String text) {
        SimpleFormatter formatter = new SimpleFormatter();
        return records.stream()
                .filter(r -> formatter.formatMessage(r).contains(text))
                .toList();
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
