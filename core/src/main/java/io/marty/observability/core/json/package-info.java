/**
 * The small JSON writer every module without a JSON library uses for reports and endpoint bodies
 * (health, SLO status); log lines have their own byte-level writer in the logging module.
 */
package io.marty.observability.core.json;
