/**
 * gRPC integrations: server and client interceptors, the status-to-outcome mapping and the standard
 * {@code grpc.health.v1} health service.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.grpc;

import org.jspecify.annotations.NullMarked;
