/**
 * Settings of Marty Observability, one immutable value with a builder per area: {@link
 * io.marty.observability.core.config.ServiceSettings}, {@link
 * io.marty.observability.core.config.TracingSettings}, {@link
 * io.marty.observability.core.config.OtlpSettings} (per {@link
 * io.marty.observability.core.config.Signal}), {@link
 * io.marty.observability.core.config.MetricsSettings}, {@link
 * io.marty.observability.core.config.LogsSettings} and {@link
 * io.marty.observability.core.config.LifecycleSettings}; {@link
 * io.marty.observability.core.ObservabilityConfig} composes them.
 *
 * <p>Each setting resolves the same way: the value set on the builder, else the {@link
 * io.marty.observability.core.config.ConfigSource} (environment variables {@code MMF_*} and the
 * OpenTelemetry SDK's {@code OTEL_*}, or their {@code mmf.*}/{@code otel.*} system properties), else
 * the default. {@code build()} validates; an invalid value fails with an {@link
 * io.marty.observability.core.ObservabilityConfigException} naming the key and the value.
 *
 * <pre>{@code
 * OtlpSettings otlp = OtlpSettings.builder(ConfigSource.environment())
 *         .compression("gzip")
 *         .build();
 * String tracesUrl = otlp.traces().endpoint();   // e.g. http://localhost:4318/v1/traces
 * }</pre>
 *
 * <p>Parameters, return values and fields are non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.marty.observability.core.config;

import org.jspecify.annotations.NullMarked;
