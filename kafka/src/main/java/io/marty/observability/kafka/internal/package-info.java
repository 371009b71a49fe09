/** Internal: the producer wrapper, header carriers, spans and metrics. Not a stable API. */
@NullMarked
package io.marty.observability.kafka.internal;

import org.jspecify.annotations.NullMarked;
