/**
 * Business observability: {@link io.marty.observability.business.BusinessMetrics} (revenue, orders,
 * funnels, engagement, cart abandonment, custom events as {@code mmf_business_*} metrics with
 * declared label keys), {@link io.marty.observability.business.BusinessContext} (business attributes
 * in logs, spans, child threads and optionally W3C baggage), {@link
 * io.marty.observability.business.BusinessHealth} (an explainable 0–100 score), {@link
 * io.marty.observability.business.AnomalyDetector} (seasonal median/MAD) and {@link
 * io.marty.observability.business.BusinessAlertRules} (YAML alert rules evaluated in process and
 * turned into Prometheus rules with promtool tests). Alerts are core's {@code
 * io.marty.observability.core.alert.Alert}, delivered by its sinks.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.business;

import org.jspecify.annotations.NullMarked;
