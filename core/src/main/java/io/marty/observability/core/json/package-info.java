/**
 * The small JSON writer every module without a JSON library uses for reports and endpoint bodies
 * (health, SLO status); log lines have their own byte-level writer in the logging module.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.json;

import org.jspecify.annotations.NullMarked;
