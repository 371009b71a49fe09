/**
 * Internal, unstable: the HyperLogLog sketch, bucket rings and YAML helpers of the business module.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.business.internal;

import org.jspecify.annotations.NullMarked;
