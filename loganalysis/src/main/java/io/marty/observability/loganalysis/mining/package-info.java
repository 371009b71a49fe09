/**
 * Log template mining: the template miner, log formats, Loghub datasets and parsing-accuracy scoring.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.loganalysis.mining;

import org.jspecify.annotations.NullMarked;
