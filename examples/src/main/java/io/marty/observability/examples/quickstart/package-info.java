/** Quickstart: the smallest service that uses only the core API (run it with {@code ./marty demo}). *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.examples.quickstart;

import org.jspecify.annotations.NullMarked;
