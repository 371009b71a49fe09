/**
 * The project's one alert model: {@link io.marty.observability.core.alert.Alert}, {@link
 * io.marty.observability.core.alert.Severity}, {@link io.marty.observability.core.alert.AlertSink}
 * with the JSON-lines, webhook and Alertmanager v2 sinks, and {@link
 * io.marty.observability.core.alert.AlertGate} (cooldown per rule and key, inhibition between
 * rules). The log analyzer and the business alert rules raise the same alerts through the same
 * sinks.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.alert;

import org.jspecify.annotations.NullMarked;
