/**
 * The demo shop: gateway, order and payment services (HTTP and gRPC) instrumented with Marty.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.demo;

import org.jspecify.annotations.NullMarked;
