/**
 * Log analysis: parsing log lines and OTLP log records into events, rule sets, template
 * extraction, the {@code LogAnalyzer} pipeline and its alerts and metrics.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.loganalysis;

import org.jspecify.annotations.NullMarked;
