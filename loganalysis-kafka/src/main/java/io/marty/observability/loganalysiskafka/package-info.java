/**
 * Kafka Streams integration: a topology that runs the log analyzer over a topic of log lines.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.loganalysiskafka;

import org.jspecify.annotations.NullMarked;
