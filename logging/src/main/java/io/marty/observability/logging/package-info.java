/**
 * Logback integration: the JSON encoder and appenders, PII masking, category sampling, bounded async
 * delivery and the {@code StructuredLogger} facade.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.logging;

import org.jspecify.annotations.NullMarked;
