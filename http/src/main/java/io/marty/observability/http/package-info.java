/**
 * HTTP integrations: servlet and JDK-server filters, instrumented JDK and OkHttp clients, route
 * templating and health endpoints.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.http;

import org.jspecify.annotations.NullMarked;
