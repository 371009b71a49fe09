/**
 * A single-node Kafka broker (KRaft mode, broker and controller in one node) started in a child JVM
 * on the loopback interface: {@link io.marty.observability.kafkabroker.KafkaBroker}. For integration
 * tests and {@code marty demo --with-kafka}; not for production.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.kafkabroker;

import org.jspecify.annotations.NullMarked;
