/**
 * The developer console: an OTLP-ingesting server with a web UI, and the panel SPI and
 * value types it shows.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.console;

import org.jspecify.annotations.NullMarked;
