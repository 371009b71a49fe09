package io.marty.observability.core.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each alert as one log line on the SLF4J logger {@value #LOGGER_NAME}: critical at ERROR,
 * warning at WARN, info at INFO, with the rule, severity, service and explanation in the message.
 *
 * <pre>{@code
 * AlertSink sink = new LogAlertSink();
 * }</pre>
 */
public final class LogAlertSink implements AlertSink {
    /** The logger alerts are written to. */
    public static final String LOGGER_NAME = "io.marty.observability.alerts";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void send(Alert alert) {
        String line = "alert " + alert.rule() + " [" + alert.severity().label() + "] service=" + alert.service() + ": "
                + alert.explanation();
        switch (alert.severity()) {
            case CRITICAL:
                LOG.error(line);
                break;
            case WARNING:
                LOG.warn(line);
                break;
            default:
                LOG.info(line);
        }
    }
}
