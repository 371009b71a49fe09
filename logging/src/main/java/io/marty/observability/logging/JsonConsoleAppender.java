package io.marty.observability.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Console appender that lets a {@link MartyJsonEncoder} write each line straight into the stream
 * ({@link MartyJsonEncoder#encode(ILoggingEvent, OutputStream)}): no per-event {@code byte[]}, so
 * a common event allocates nothing in the encoder. With any other encoder it behaves exactly like
 * Logback's {@link ConsoleAppender}. Lines are written under the appender's stream lock, so
 * concurrent events never interleave.
 *
 * <pre>{@code
 * <appender name="JSON" class="io.marty.observability.logging.JsonConsoleAppender">
 *   <encoder class="io.marty.observability.logging.MartyJsonEncoder"/>
 * </appender>
 * }</pre>
 */
public class JsonConsoleAppender extends ConsoleAppender<ILoggingEvent> {
    @Override
    protected void writeOut(ILoggingEvent event) throws IOException {
        if (!(encoder instanceof MartyJsonEncoder)) {
            super.writeOut(event);
            return;
        }
        MartyJsonEncoder json = (MartyJsonEncoder) encoder;
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            json.encode(event, out);
            if (isImmediateFlush()) {
                out.flush();
            }
        } finally {
            streamWriteLock.unlock();
        }
    }
}
