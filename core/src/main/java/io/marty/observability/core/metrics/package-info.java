/** Prometheus metrics: RED metrics of requests and the custom metric factory with series caps. *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.metrics;

import org.jspecify.annotations.NullMarked;
