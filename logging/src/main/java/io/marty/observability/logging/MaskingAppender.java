package io.marty.observability.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Applies {@link PiiMasker} to events before handing them to the attached appenders, for appenders
 * that do not mask themselves — above all the OpenTelemetry (OTLP) appender. The children see a
 * masked view: message (arguments already formatted and masked), key-value pairs and MDC values.
 * The OTLP bridge reads exception text from the original {@link Throwable}; {@link
 * MartyLogging#install} hands this appender's masker to core's exporters, which mask the {@code
 * exception.message} and {@code exception.stacktrace} attributes before export.
 *
 * <pre>{@code
 * <appender name="OTEL_MASKED" class="io.marty.observability.logging.MaskingAppender">
 *   <maskingStrategy>hash</maskingStrategy>
 *   <appender-ref ref="OTEL"/>
 * </appender>
 * }</pre>
 */
public class MaskingAppender extends AttachingAppender implements MaskingConfigurable {
    private final MaskingSettings masking = new MaskingSettings();
    private PiiMasker masker;

    @Override
    public void start() {
        masker = masking.build();
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        appenders.detachAndStopAllAppenders();
    }

    @Override
    protected void append(ILoggingEvent event) {
        appenders.appendLoopOnAppenders(new MaskedEvent(event, masker));
    }

    /** The masker in use; null before {@link #start()}. */
    PiiMasker masker() {
        return masker;
    }

    @Override
    public MaskingSettings maskingSettings() {
        return masking;
    }

    /** Read-only masked view of an event; masked parts are computed once, on first access. */
    static final class MaskedEvent implements ILoggingEvent {
        private final ILoggingEvent d;
        private final PiiMasker m;
        private String message;
        private List<KeyValuePair> kvs;
        private Map<String, String> mdc;

        MaskedEvent(ILoggingEvent delegate, PiiMasker masker) {
            this.d = delegate;
            this.m = masker;
        }

        @Override
        public String getFormattedMessage() {
            if (message == null) {
                message = m.maskText(d.getFormattedMessage());
            }
            return message;
        }

        @Override
        public String getMessage() {
            return getFormattedMessage();
        }

        @Override
        public Object[] getArgumentArray() {
            return null; // already formatted (and masked) into the message
        }

        @Override
        public List<KeyValuePair> getKeyValuePairs() {
            if (kvs == null) {
                List<KeyValuePair> in = d.getKeyValuePairs();
                if (in == null || in.isEmpty()) {
                    kvs = in;
                } else {
                    List<KeyValuePair> out = new ArrayList<>(in.size());
                    for (KeyValuePair kv : in) {
                        Object v = m.isSensitiveKey(kv.key) ? m.maskValue(kv.value) : m.maskObject(kv.value);
                        out.add(new KeyValuePair(kv.key, v));
                    }
                    kvs = Collections.unmodifiableList(out);
                }
            }
            return kvs;
        }

        @Override
        public Map<String, String> getMDCPropertyMap() {
            if (mdc == null) {
                Map<String, String> in = d.getMDCPropertyMap();
                if (in == null || in.isEmpty()) {
                    mdc = in;
                } else {
                    Map<String, String> out = new LinkedHashMap<>();
                    for (Map.Entry<String, String> e : in.entrySet()) {
                        String k = e.getKey();
                        out.put(k, m.isSensitiveKey(k) ? m.maskValue(e.getValue()) : m.maskText(e.getValue()));
                    }
                    mdc = Collections.unmodifiableMap(out);
                }
            }
            return mdc;
        }

        @Override
        @SuppressWarnings("deprecation")
        public Map<String, String> getMdc() {
            return getMDCPropertyMap();
        }

        @Override
        public String getThreadName() {
            return d.getThreadName();
        }

        @Override
        public Level getLevel() {
            return d.getLevel();
        }

        @Override
        public String getLoggerName() {
            return d.getLoggerName();
        }

        @Override
        public LoggerContextVO getLoggerContextVO() {
            return d.getLoggerContextVO();
        }

        @Override
        public IThrowableProxy getThrowableProxy() {
            return d.getThrowableProxy();
        }

        @Override
        public StackTraceElement[] getCallerData() {
            return d.getCallerData();
        }

        @Override
        public boolean hasCallerData() {
            return d.hasCallerData();
        }

        @Override
        public List<Marker> getMarkerList() {
            return d.getMarkerList();
        }

        @Override
        public long getTimeStamp() {
            return d.getTimeStamp();
        }

        @Override
        public int getNanoseconds() {
            return d.getNanoseconds();
        }

        @Override
        public Instant getInstant() {
            return d.getInstant();
        }

        @Override
        public long getSequenceNumber() {
            return d.getSequenceNumber();
        }

        @Override
        public void prepareForDeferredProcessing() {
            d.prepareForDeferredProcessing();
            getFormattedMessage();
            getKeyValuePairs();
            getMDCPropertyMap();
        }
    }
}
