/** Health-check SPI with timeouts and aggregation. *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.health;

import org.jspecify.annotations.NullMarked;
