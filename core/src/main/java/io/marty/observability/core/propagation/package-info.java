/**
 * W3C Trace Context Level 2 propagation: a strict {@code traceparent}/{@code tracestate} propagator, its
 * codec and a case-insensitive carrier getter.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.propagation;

import org.jspecify.annotations.NullMarked;
