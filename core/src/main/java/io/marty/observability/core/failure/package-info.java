/**
 * The fail-open policy of every integration: {@link
 * io.marty.observability.core.failure.InstrumentationErrors} counts a failure of the
 * instrumentation itself in {@code mmf_instrumentation_errors_total{service,component}} and logs it
 * rate-limited, so that the instrumented request goes on untouched.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.failure;

import org.jspecify.annotations.NullMarked;
