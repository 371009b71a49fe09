/**
 * The demo's traffic generator: simulated shop requests, targets and scheduled faults.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.demo.traffic;

import org.jspecify.annotations.NullMarked;
