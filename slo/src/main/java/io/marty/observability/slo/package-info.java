/**
 * Service level objectives for services instrumented with Marty Observability.
 *
 * <ul>
 *   <li>Model: {@link io.marty.observability.slo.Slo}, {@link io.marty.observability.slo.Sli},
 *       {@link io.marty.observability.slo.SloWindow}, {@link io.marty.observability.slo.AlertPolicy};
 *       {@link io.marty.observability.slo.DefaultSlos} for the three default SLOs of a service.
 *   <li>Specs: {@link io.marty.observability.slo.SloLoader} reads OpenSLO v1 and the concise native YAML
 *       form, with errors naming file, line and field.
 *   <li>In-process: {@link io.marty.observability.slo.SloTracker} (error budgets, burn rates,
 *       multi-window multi-burn-rate alert states, JSON report), fed by core's RED metrics, exposed by
 *       {@link io.marty.observability.slo.SloMetrics}.
 *   <li>Prometheus: {@link io.marty.observability.slo.SloRuleGenerator} (recording and alerting rules),
 *       {@link io.marty.observability.slo.SloRuleTestGenerator} (a {@code promtool test rules} file per rule
 *       file), {@link io.marty.observability.slo.SloAlertmanagerConfig} (routing and inhibition).
 * </ul>
 *
 * <p>See {@code docs/slo.md}.
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.slo;

import org.jspecify.annotations.NullMarked;
