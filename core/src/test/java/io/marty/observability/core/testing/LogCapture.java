package io.marty.observability.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.marty.observability.core.failure.InstrumentationErrors;
import java.time.Duration;
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

    /**
     * Asserts that {@code component} counted {@code failures} in {@code mmf_instrumentation_errors_total}
     * (waiting a little for asynchronous completions) and that its log was throttled: at most
     * {@link InstrumentationErrors#LOGS_PER_MINUTE} records, then one note.
     */
    public void assertCountedAndThrottled(TestObservability marty, String component, int failures) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(marty.instrumentationErrors(component)).isEqualTo(failures));
        assertThat(startingWith(component + ":"))
                .as("at most %d records a minute", InstrumentationErrors.LOGS_PER_MINUTE)
                .hasSize(Math.min(failures, InstrumentationErrors.LOGS_PER_MINUTE))
                .allSatisfy(r -> assertThat(r.getThrown()).isNotNull());
        assertThat(mentioning("from " + component + ": suppressing"))
                .hasSize(failures > InstrumentationErrors.LOGS_PER_MINUTE ? 1 : 0);
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
