/** Correlation context (MMF dimensions) in the OTel {@code Context}, its propagator, MDC view and executor wrappers. *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.correlation;

import org.jspecify.annotations.NullMarked;
