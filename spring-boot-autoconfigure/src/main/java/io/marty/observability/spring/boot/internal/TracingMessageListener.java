package io.marty.observability.spring.boot.internal;

import io.marty.observability.kafka.KafkaTelemetry;
import io.marty.observability.kafka.RecordHandler;
import java.lang.reflect.UndeclaredThrowableException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.adapter.AbstractDelegatingMessageListenerAdapter;
import org.springframework.kafka.listener.adapter.AsyncRepliesAware;
import org.springframework.kafka.support.Acknowledgment;

/**
 * A Spring Kafka record listener run through {@link KafkaTelemetry#process}: the listener (a
 * {@code @KafkaListener} method included) runs in a CONSUMER span that is a child of the record's
 * producer span, with the producer's correlation id in the context and the MDC, detached afterwards.
 * The container picks the {@code onMessage} variant from the delegate's type (it looks through
 * this adapter), so each variant forwards to the same one of the delegate.
 */
public final class TracingMessageListener<K, V> extends AbstractDelegatingMessageListenerAdapter<MessageListener<K, V>>
        implements MessageListener<K, V>, AsyncRepliesAware {
    private final KafkaTelemetry telemetry;

    public TracingMessageListener(MessageListener<K, V> delegate, KafkaTelemetry telemetry) {
        super(delegate);
        this.telemetry = telemetry;
    }

    @Override
    public void onMessage(ConsumerRecord<K, V> record) {
        process(record, delegate::onMessage);
    }

    @Override
    public void onMessage(ConsumerRecord<K, V> record, @Nullable Acknowledgment acknowledgment) {
        process(record, r -> delegate.onMessage(r, acknowledgment));
    }

    @Override
    public void onMessage(ConsumerRecord<K, V> record, @Nullable Consumer<?, ?> consumer) {
        process(record, r -> delegate.onMessage(r, consumer));
    }

    @Override
    public void onMessage(
            ConsumerRecord<K, V> record, @Nullable Acknowledgment acknowledgment, @Nullable Consumer<?, ?> consumer) {
        process(record, r -> delegate.onMessage(r, acknowledgment, consumer));
    }

    @Override
    public boolean isAsyncReplies() {
        return delegate instanceof AsyncRepliesAware aware && aware.isAsyncReplies();
    }

    private void process(ConsumerRecord<K, V> record, RecordHandler<K, V> handler) {
        try {
            telemetry.process(record, handler);
        } catch (RuntimeException | Error e) {
            throw e; // the listener's own failure, for the container's error handler
        } catch (Exception e) {
            // the listener methods declare no checked exception; one thrown anyway is passed on wrapped
            throw new UndeclaredThrowableException(e);
        }
    }
}
