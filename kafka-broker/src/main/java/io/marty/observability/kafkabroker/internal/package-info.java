/** Internal: the child JVM's entry point. Not a stable API. */
@NullMarked
package io.marty.observability.kafkabroker.internal;

import org.jspecify.annotations.NullMarked;
