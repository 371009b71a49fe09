/**
 * Marty Observability core: {@link io.marty.observability.core.ObservabilityConfig} and {@link
 * io.marty.observability.core.MartyObservability} (one-line setup of tracing, metrics, correlation
 * and health). Sub-packages: {@code config}, {@code correlation}, {@code metrics}, {@code tracing},
 * {@code health}.
 * Classes in {@code .internal} are not API.
 */
package io.marty.observability.core;
