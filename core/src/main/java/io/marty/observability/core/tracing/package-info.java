/** Span helpers and correlation span attributes. */
package io.marty.observability.core.tracing;
