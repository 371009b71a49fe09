/** Redis: Lettuce command tracing and cache hit/miss metrics. */
@NullMarked
package io.marty.observability.redis;

import org.jspecify.annotations.NullMarked;
