/**
 * Alert sinks: JSON lines, HTTP webhooks and Alertmanager.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.loganalysis.sink;

import org.jspecify.annotations.NullMarked;
