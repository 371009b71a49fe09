/**
 * Grafana dashboards and Prometheus alert rules generated for services instrumented with Marty
 * Observability.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.dashboards;

import org.jspecify.annotations.NullMarked;
