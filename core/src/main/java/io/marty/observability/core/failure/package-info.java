/**
 * The fail-open policy of every integration: {@link
 * io.marty.observability.core.failure.InstrumentationErrors} counts a failure of the
 * instrumentation itself in {@code mmf_instrumentation_errors_total{service,component}} and logs it
 * rate-limited, so that the instrumented request goes on untouched.
 */
package io.marty.observability.core.failure;
