/** Span helpers and correlation span attributes. *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.tracing;

import org.jspecify.annotations.NullMarked;
