/**
 * The {@code marty} command-line application: SLO, log-analysis, dashboards, console and demo
 * commands.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.cli;

import org.jspecify.annotations.NullMarked;
