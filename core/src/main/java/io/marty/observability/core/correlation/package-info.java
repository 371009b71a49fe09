/** Correlation context (MMF dimensions) in the OTel {@code Context}, its propagator, MDC view and executor wrappers. */
package io.marty.observability.core.correlation;
