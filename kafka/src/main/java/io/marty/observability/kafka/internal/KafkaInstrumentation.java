package io.marty.observability.kafka.internal;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.marty.observability.core.metrics.MartyCounter;
import io.marty.observability.core.metrics.MartyTimer;
import io.marty.observability.core.tracing.Tracing;
import io.marty.observability.kafka.BatchHandler;
import io.marty.observability.kafka.RecordHandler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Spans, context and metrics of both sides (OTel messaging semantic conventions). Every entry
 * point catches the instrumentation's own failures, records them with {@link
 * InstrumentationErrors} and runs the application's operation uninstrumented; the application's
 * own exceptions pass through unchanged. Internal: not a stable API.
 */
public final class KafkaInstrumentation {

    /** {@code InstrumentationErrors} component of the producer side. */
    public static final String PRODUCER_COMPONENT = InstrumentationErrors.KAFKA_PRODUCER;
    /** {@code InstrumentationErrors} component of the consumer side. */
    public static final String CONSUMER_COMPONENT = InstrumentationErrors.KAFKA_CONSUMER;
    /** Metric names and label values. */
    public static final String MESSAGES_TOTAL = "mmf_messages_total";

    public static final String PROCESS_DURATION = "mmf_message_process_duration_seconds";
    public static final String PRODUCER = "producer";
    public static final String CONSUMER = "consumer";
    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String POISON = "poison";

    private static final String INSTRUMENTATION = "io.marty.observability.kafka";
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<Boolean> TOMBSTONE = AttributeKey.booleanKey("messaging.kafka.message.tombstone");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    private static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final String TRACEPARENT = "traceparent";
    private static final String MMF_PREFIX = "x-mmf-";

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final InstrumentationErrors errors;
    private final TextMapSetter<Headers> setter;
    private final MartyCounter messages;
    private final MartyTimer processDuration;
    private final @Nullable String consumerGroup;
    private final int maxBatchLinks;
    private final @Nullable Consumer<RecordDeserializationException> poisonHandler;

    public KafkaInstrumentation(
            MartyObservability observability,
            @Nullable String consumerGroup,
            int maxBatchLinks,
            @Nullable Consumer<RecordDeserializationException> poisonHandler) {
        this.tracer = observability.openTelemetry().getTracer(INSTRUMENTATION);
        this.propagator = observability.openTelemetry().getPropagators().getTextMapPropagator();
        this.errors = observability.metrics().instrumentationErrors();
        this.setter = errors.failOpen(PRODUCER_COMPONENT, KafkaHeaders.SETTER);
        this.messages = observability
                .metrics()
                .counter(
                        MESSAGES_TOTAL,
                        "Kafka records sent (direction=producer) and processed (direction=consumer), by outcome.",
                        "direction",
                        "topic",
                        "outcome");
        this.processDuration = observability
                .metrics()
                .timer(PROCESS_DURATION, "Time spent processing consumed Kafka records.", "topic", "outcome");
        this.consumerGroup = consumerGroup;
        this.maxBatchLinks = maxBatchLinks;
        this.poisonHandler = poisonHandler;
    }

    // ---------------------------------------------------------------- producer

    /** One send in flight: its span ends once, on acknowledgement or failure. */
    public static final class Sending {
        final Span span;
        final Context parent;
        final String topic;
        private boolean ended;

        Sending(Span span, Context parent, String topic) {
            this.span = span;
            this.parent = parent;
            this.topic = topic;
        }

        /** The caller's context, current again while the application's callback runs. */
        public Context parent() {
            return parent;
        }

        synchronized boolean markEnded() {
            boolean first = !ended;
            ended = true;
            return first;
        }
    }

    /**
     * Starts the PRODUCER span (child of the current context; a correlation id is created when the
     * caller has none) and writes the trace and correlation headers into the record. {@code null}
     * when the instrumentation failed: the record is then sent as it is.
     */
    public @Nullable Sending startSend(ProducerRecord<?, ?> record) {
        try {
            String topic = record.topic();
            Context parent = Context.current();
            CorrelationContext correlation = CorrelationContext.fromContext(parent);
            if (correlation.correlationId() == null) {
                parent = parent.with(correlation.newChild());
            }
            SpanBuilder builder = tracer.spanBuilder("send " + topic)
                    .setParent(parent)
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute(SYSTEM, "kafka")
                    .setAttribute(DESTINATION, topic)
                    .setAttribute(OPERATION_TYPE, "send")
                    .setAttribute(OPERATION_NAME, "send");
            if (record.partition() != null) {
                builder.setAttribute(PARTITION, record.partition().toString());
            }
            if (record.value() == null) {
                builder.setAttribute(TOMBSTONE, true);
            }
            Span span = builder.startSpan();
            propagator.inject(parent.with(span), record.headers(), setter);
            return new Sending(span, parent, topic);
        } catch (RuntimeException e) {
            errors.record(PRODUCER_COMPONENT, "cannot start the send span", e);
            return null;
        }
    }

    /** Ends the send span with the broker's answer and counts the record. Once; never throws. */
    public void endSend(Sending sending, @Nullable RecordMetadata metadata, @Nullable Throwable error) {
        if (!sending.markEnded()) {
            return;
        }
        try {
            Span span = sending.span;
            if (metadata != null && metadata.partition() >= 0) {
                span.setAttribute(PARTITION, Integer.toString(metadata.partition()));
                if (metadata.hasOffset()) {
                    span.setAttribute(OFFSET, metadata.offset());
                }
            }
            if (error != null) {
                fail(span, error);
            }
            span.end();
            messages.labels(PRODUCER, sending.topic, error == null ? SUCCESS : ERROR)
                    .inc();
        } catch (RuntimeException e) {
            errors.record(PRODUCER_COMPONENT, "cannot end the send span", e);
        }
    }

    // ---------------------------------------------------------------- consumer

    /**
     * Runs {@code handler} inside a CONSUMER span that is a child of the record's producer span,
     * with the record's correlation context (a new request id, the producer's as parent) and MDC
     * current; all detached afterwards.
     */
    public <K, V> void process(ConsumerRecord<K, V> record, RecordHandler<K, V> handler) throws Exception {
        Context context;
        Span span;
        try {
            Context extracted = extract(record);
            span = processSpan(record.topic(), extracted)
                    .setAttribute(PARTITION, Integer.toString(record.partition()))
                    .setAttribute(OFFSET, record.offset())
                    .startSpan();
            context = extracted.with(span);
        } catch (RuntimeException e) {
            errors.record(CONSUMER_COMPONENT, "cannot start the process span", e);
            handler.handle(record);
            return;
        }
        run(context, span, List.of(record), Set.of(record.topic()), () -> handler.handle(record));
    }

    /**
     * Runs {@code handler} inside one CONSUMER span linked to each record's producer span (at most
     * {@code maxBatchLinks}), with the records' correlation id when they share one and a new one
     * otherwise.
     */
    public <K, V> void processBatch(Iterable<ConsumerRecord<K, V>> records, BatchHandler<K, V> handler)
            throws Exception {
        List<ConsumerRecord<K, V>> list = new ArrayList<>();
        records.forEach(list::add);
        Context context;
        Span span;
        Set<String> topics = new LinkedHashSet<>();
        try {
            Set<String> correlationIds = new LinkedHashSet<>();
            CorrelationContext shared = null;
            List<SpanContext> links = new ArrayList<>();
            for (ConsumerRecord<K, V> record : list) {
                topics.add(record.topic());
                Context extracted = extract(record);
                CorrelationContext c = CorrelationContext.fromContext(extracted);
                if (c.correlationId() != null && correlationIds.add(c.correlationId())) {
                    shared = c;
                }
                SpanContext producer = Span.fromContext(extracted).getSpanContext();
                if (producer.isValid() && links.size() < maxBatchLinks) {
                    links.add(producer);
                }
            }
            CorrelationContext correlation =
                    correlationIds.size() == 1 && shared != null ? shared : CorrelationContext.EMPTY.newChild();
            Context parent = Context.current().with(correlation);
            SpanBuilder builder = processSpan(
                            topics.size() == 1 ? topics.iterator().next() : null, parent)
                    .setAttribute(BATCH_COUNT, (long) list.size());
            for (SpanContext link : links) {
                builder.addLink(link);
            }
            span = builder.startSpan();
            context = parent.with(span);
        } catch (RuntimeException e) {
            errors.record(CONSUMER_COMPONENT, "cannot start the batch process span", e);
            handler.handle(list);
            return;
        }
        run(context, span, list, topics, () -> handler.handle(list));
    }

    /** What a handler call looks like to {@link #run}. */
    private interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} with {@code context} current, then ends the span and counts each record
     * and the duration per topic; the body's exception is recorded on the span and rethrown.
     */
    private void run(
            Context context, Span span, List<? extends ConsumerRecord<?, ?>> records, Set<String> topics, Body body)
            throws Exception {
        long start = System.nanoTime();
        try (Scope ignored = context.makeCurrent()) {
            String outcome = ERROR;
            try {
                body.run();
                outcome = SUCCESS;
            } catch (Exception | Error e) {
                failQuietly(span, e);
                throw e;
            } finally {
                finish(span, records, topics, outcome, start);
            }
        }
    }

    /**
     * {@code consumer.poll(timeout)}; a record that cannot be deserialized is counted as {@code
     * outcome="poison"}, given an error span in its producer's trace, handed to the poison handler
     * and skipped (the consumer seeks past it), so the loop goes on.
     */
    public <K, V> ConsumerRecords<K, V> poll(
            org.apache.kafka.clients.consumer.Consumer<K, V> consumer, Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (RecordDeserializationException e) {
            TopicPartition tp = e.topicPartition();
            poison(e, tp);
            consumer.seek(tp, e.offset() + 1);
            return ConsumerRecords.empty();
        }
    }

    private void poison(RecordDeserializationException e, TopicPartition tp) {
        try {
            messages.labels(CONSUMER, tp.topic(), POISON).inc();
            errors.record(
                    CONSUMER_COMPONENT,
                    "skipped a record that cannot be deserialized: " + tp + " offset " + e.offset(),
                    e);
            Headers headers = e.headers();
            Context extracted =
                    headers == null ? Context.root() : propagator.extract(Context.root(), headers, KafkaHeaders.GETTER);
            Span span = processSpan(tp.topic(), extracted)
                    .setAttribute(PARTITION, Integer.toString(tp.partition()))
                    .setAttribute(OFFSET, e.offset())
                    .startSpan();
            span.setAttribute(ERROR_TYPE, POISON);
            span.setStatus(StatusCode.ERROR, "record cannot be deserialized");
            span.end();
        } catch (RuntimeException failure) {
            errors.record(CONSUMER_COMPONENT, "cannot record a poison record", failure);
        }
        if (poisonHandler != null) {
            try {
                poisonHandler.accept(e);
            } catch (RuntimeException failure) {
                errors.record(CONSUMER_COMPONENT, "the poison record handler threw", failure);
            }
        }
    }

    private Context extract(ConsumerRecord<?, ?> record) {
        Context extracted = propagator.extract(Context.root(), record.headers(), KafkaHeaders.GETTER);
        countMalformed(record, extracted);
        CorrelationContext correlation = CorrelationContext.fromContext(extracted);
        if (correlation.correlationId() == null || correlation.requestId() == null) {
            extracted = extracted.with(correlation.newChild());
        }
        return extracted;
    }

    /** A trace or MMF header that was present but unusable is counted; the record is still processed. */
    private void countMalformed(ConsumerRecord<?, ?> record, Context extracted) {
        for (Header header : record.headers()) {
            String key = header.key();
            boolean malformed;
            if (TRACEPARENT.equalsIgnoreCase(key)) {
                malformed = !Span.fromContext(extracted).getSpanContext().isValid();
            } else if (key.regionMatches(true, 0, MMF_PREFIX, 0, MMF_PREFIX.length())) {
                malformed = !MmfHeaders.isValidValue(KafkaHeaders.decode(header.value()));
            } else {
                continue;
            }
            if (malformed) {
                errors.record(
                        CONSUMER_COMPONENT,
                        "ignored a malformed " + key.toLowerCase(java.util.Locale.ROOT) + " header on topic "
                                + record.topic(),
                        new IllegalArgumentException("malformed record header " + key));
            }
        }
    }

    private SpanBuilder processSpan(@Nullable String topic, Context parent) {
        SpanBuilder builder = tracer.spanBuilder(topic == null ? "process" : "process " + topic)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process");
        if (topic != null) {
            builder.setAttribute(DESTINATION, topic);
        }
        if (consumerGroup != null) {
            builder.setAttribute(GROUP, consumerGroup);
        }
        return builder;
    }

    private void finish(
            Span span,
            List<? extends ConsumerRecord<?, ?>> records,
            Set<String> topics,
            String outcome,
            long startNanos) {
        try {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            for (ConsumerRecord<?, ?> record : records) {
                messages.labels(CONSUMER, record.topic(), outcome).inc();
            }
            for (String topic : topics) {
                processDuration.labels(topic, outcome).recordSeconds(seconds);
            }
            span.end();
        } catch (RuntimeException e) {
            errors.record(CONSUMER_COMPONENT, "cannot end the process span", e);
        }
    }

    private void failQuietly(Span span, Throwable error) {
        try {
            fail(span, error);
        } catch (RuntimeException e) {
            errors.record(CONSUMER_COMPONENT, "cannot record the handler's failure", e);
        }
    }

    private static void fail(Span span, Throwable error) {
        Tracing.recordFailure(span, error);
        span.setAttribute(ERROR_TYPE, error.getClass().getName());
    }
}
