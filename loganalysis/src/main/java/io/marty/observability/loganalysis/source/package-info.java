/**
 * Line sources for the log analyzer: file tailing and readers.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.loganalysis.source;

import org.jspecify.annotations.NullMarked;
