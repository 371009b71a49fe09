package io.marty.observability.core.internal;

import io.marty.observability.core.TelemetryMasker;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.common.ValueType;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Internal, unstable. Applies the {@link TelemetryMasker} of one {@code MartyObservability} to
 * spans and log records on their way to the exporter: {@code exception.message} and {@code
 * exception.stacktrace} attributes (log records and span events), span status descriptions and
 * string log bodies. Done at export rather than in a processor because span events cannot be
 * changed once recorded; the batch processor's thread pays for it, not the request. Records
 * without such text, or masked to the same text, are passed on as they are.
 */
public final class ExportMasking {
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    private volatile TelemetryMasker masker = TelemetryMasker.NONE;

    /** Masks everything exported from now on with {@code masker}. */
    public void set(TelemetryMasker masker) {
        this.masker = Objects.requireNonNull(masker, "masker");
    }

    /** {@code delegate}, receiving masked spans. */
    public SpanExporter spans(SpanExporter delegate) {
        return delegate == null ? null : new Spans(delegate);
    }

    /** {@code delegate}, receiving masked log records. */
    public LogRecordExporter logs(LogRecordExporter delegate) {
        return delegate == null ? null : new Logs(delegate);
    }

    private static String mask(TelemetryMasker m, String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        try {
            String masked = m.mask(text);
            return masked == null ? TelemetryMasker.MASKING_FAILED : masked;
        } catch (RuntimeException e) {
            // fail closed: the text is what must not leave the process
            InstrumentationErrors.current().record(InstrumentationErrors.MASKING, "masking exported text", e);
            return TelemetryMasker.MASKING_FAILED;
        }
    }

    /** {@code attributes} with the exception text masked, or the same instance when unchanged. */
    static Attributes maskExceptionText(TelemetryMasker m, Attributes attributes) {
        String message = attributes.get(EXCEPTION_MESSAGE);
        String stack = attributes.get(EXCEPTION_STACKTRACE);
        if (message == null && stack == null) {
            return attributes;
        }
        String maskedMessage = mask(m, message);
        String maskedStack = mask(m, stack);
        if (Objects.equals(maskedMessage, message) && Objects.equals(maskedStack, stack)) {
            return attributes;
        }
        AttributesBuilder b = attributes.toBuilder();
        if (message != null) {
            b.put(EXCEPTION_MESSAGE, maskedMessage);
        }
        if (stack != null) {
            b.put(EXCEPTION_STACKTRACE, maskedStack);
        }
        return b.build();
    }

    static SpanData maskSpan(TelemetryMasker m, SpanData span) {
        List<EventData> events = span.getEvents();
        List<EventData> maskedEvents = null;
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            Attributes attributes = maskExceptionText(m, event.getAttributes());
            if (attributes != event.getAttributes()) {
                if (maskedEvents == null) {
                    maskedEvents = new ArrayList<>(events);
                }
                maskedEvents.set(
                        i,
                        EventData.create(
                                event.getEpochNanos(), event.getName(), attributes, event.getTotalAttributeCount()));
            }
        }
        StatusData status = span.getStatus();
        String description = status.getDescription();
        String maskedDescription = mask(m, description);
        StatusData maskedStatus = Objects.equals(description, maskedDescription)
                ? status
                : StatusData.create(status.getStatusCode(), maskedDescription);
        if (maskedEvents == null && maskedStatus == status) {
            return span;
        }
        return new MaskedSpan(span, maskedEvents == null ? events : List.copyOf(maskedEvents), maskedStatus);
    }

    static LogRecordData maskLog(TelemetryMasker m, LogRecordData log) {
        Attributes attributes = maskExceptionText(m, log.getAttributes());
        Value<?> body = log.getBodyValue();
        Value<?> maskedBody = body;
        if (body != null && body.getType() == ValueType.STRING) {
            String text = (String) body.getValue();
            String masked = mask(m, text);
            if (!Objects.equals(text, masked)) {
                maskedBody = Value.of(masked);
            }
        }
        if (attributes == log.getAttributes() && maskedBody == body) {
            return log;
        }
        return new MaskedLogRecord(log, attributes, maskedBody);
    }

    /** Masks each item with the current masker, then hands the batch to {@code export}. */
    private <D> CompletableResultCode export(
            Collection<D> items,
            BiFunction<TelemetryMasker, D, D> mask,
            Function<Collection<D>, CompletableResultCode> export) {
        TelemetryMasker m = masker;
        if (m == TelemetryMasker.NONE) {
            return export.apply(items);
        }
        List<D> out = new ArrayList<>(items.size());
        for (D item : items) {
            out.add(mask.apply(m, item));
        }
        return export.apply(out);
    }

    /** flush/shutdown/toString shared by both signals. */
    private abstract static class Wrapper<T> {
        final T delegate;
        private final Supplier<CompletableResultCode> flush;
        private final Supplier<CompletableResultCode> shutdown;

        Wrapper(T delegate, Supplier<CompletableResultCode> flush, Supplier<CompletableResultCode> shutdown) {
            this.delegate = delegate;
            this.flush = flush;
            this.shutdown = shutdown;
        }

        public CompletableResultCode flush() {
            return flush.get();
        }

        public CompletableResultCode shutdown() {
            return shutdown.get();
        }

        @Override
        public String toString() {
            return "Masking{" + delegate + "}";
        }
    }

    private final class Spans extends Wrapper<SpanExporter> implements SpanExporter {
        Spans(SpanExporter delegate) {
            super(delegate, delegate::flush, delegate::shutdown);
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return ExportMasking.this.export(spans, ExportMasking::maskSpan, delegate::export);
        }
    }

    private final class Logs extends Wrapper<LogRecordExporter> implements LogRecordExporter {
        Logs(LogRecordExporter delegate) {
            super(delegate, delegate::flush, delegate::shutdown);
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            return ExportMasking.this.export(logs, ExportMasking::maskLog, delegate::export);
        }
    }

    private static final class MaskedSpan extends DelegatingSpanData {
        private final List<EventData> events;
        private final StatusData status;

        MaskedSpan(SpanData delegate, List<EventData> events, StatusData status) {
            super(delegate);
            this.events = events;
            this.status = status;
        }

        @Override
        public List<EventData> getEvents() {
            return events;
        }

        @Override
        public StatusData getStatus() {
            return status;
        }
    }

    /** A log record with masked attributes and body; everything else read from the original. */
    private static final class MaskedLogRecord implements LogRecordData {
        private final LogRecordData d;
        private final Attributes attributes;
        private final Value<?> body;

        MaskedLogRecord(LogRecordData delegate, Attributes attributes, Value<?> body) {
            this.d = delegate;
            this.attributes = attributes;
            this.body = body;
        }

        @Override
        public Resource getResource() {
            return d.getResource();
        }

        @Override
        public InstrumentationScopeInfo getInstrumentationScopeInfo() {
            return d.getInstrumentationScopeInfo();
        }

        @Override
        public long getTimestampEpochNanos() {
            return d.getTimestampEpochNanos();
        }

        @Override
        public long getObservedTimestampEpochNanos() {
            return d.getObservedTimestampEpochNanos();
        }

        @Override
        public SpanContext getSpanContext() {
            return d.getSpanContext();
        }

        @Override
        public Severity getSeverity() {
            return d.getSeverity();
        }

        @Override
        public String getSeverityText() {
            return d.getSeverityText();
        }

        @Override
        @SuppressWarnings("deprecation") // part of the interface; exporters read getBodyValue()
        public Body getBody() {
            return body != null && body.getType() == ValueType.STRING
                    ? Body.string((String) body.getValue())
                    : d.getBody();
        }

        @Override
        public Value<?> getBodyValue() {
            return body;
        }

        @Override
        public Attributes getAttributes() {
            return attributes;
        }

        @Override
        public int getTotalAttributeCount() {
            return d.getTotalAttributeCount();
        }

        @Override
        public String getEventName() {
            return d.getEventName();
        }

        @Override
        public String toString() {
            // not the original's toString(): it holds the unmasked text
            return "MaskedLogRecord{severity=" + d.getSeverity() + ", body=" + body + ", attributes=" + attributes
                    + "}";
        }
    }
}
