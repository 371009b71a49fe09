/**
 * Marty Observability core: {@link io.marty.observability.core.ObservabilityConfig} and {@link
 * io.marty.observability.core.MartyObservability} (one-line setup of tracing, metrics, correlation
 * and health). Sub-packages: {@code config}, {@code correlation}, {@code metrics}, {@code tracing},
 * {@code health}.
 * Classes in {@code .internal} are not API.
 *
 * <p>MMF is the Marty Microservices Framework; names that carry it follow its conventions: the
 * {@code X-MMF-*} correlation headers, the {@code MMF_*} settings and the {@code mmf_*} metrics.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core;

import org.jspecify.annotations.NullMarked;
