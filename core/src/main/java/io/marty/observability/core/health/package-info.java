/** Health-check SPI with timeouts and aggregation. */
package io.marty.observability.core.health;
