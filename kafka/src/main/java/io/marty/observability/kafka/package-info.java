/**
 * Kafka instrumentation: {@link io.marty.observability.kafka.KafkaTelemetry} wraps a {@code
 * Producer} (PRODUCER span, {@code traceparent}/{@code tracestate}/{@code baggage} and {@code
 * X-MMF-*} record headers) and runs record handlers with the producer's trace, correlation
 * context and MDC restored ({@link io.marty.observability.kafka.RecordHandler}, {@link
 * io.marty.observability.kafka.BatchHandler}). See {@code docs/data-and-messaging.md}.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.kafka;

import org.jspecify.annotations.NullMarked;
