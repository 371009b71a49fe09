/** Prometheus metrics: RED metrics of requests and the custom metric factory with series caps. */
package io.marty.observability.core.metrics;
