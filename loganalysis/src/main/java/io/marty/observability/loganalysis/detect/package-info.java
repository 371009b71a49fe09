/**
 * Detectors run by the log analyzer: error spikes, slow requests, brute force, business drops,
 * new templates and generic thresholds.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.loganalysis.detect;

import org.jspecify.annotations.NullMarked;
