package io.marty.observability.core;

/**
 * Masks personal data in free text before telemetry leaves the process. {@link MartyObservability}
 * applies it at export to the text an application does not control: the {@code exception.message}
 * and {@code exception.stacktrace} attributes of log records and of span events recorded by {@code
 * Span.recordException}, a span's status description, and string log bodies. The logging module
 * installs its {@code PiiMasker} through {@code MartyLogging.install(obs)}; without it nothing is
 * masked.
 *
 * <pre>{@code
 * MartyObservability obs = MartyObservability.start(config);
 * obs.setTelemetryMasker(text -> text.replace(secret, "[REDACTED]"));
 * }</pre>
 *
 * <p>Called on the exporter's thread, once per exported text. Implementations must be thread-safe,
 * should return the same {@code String} when there is nothing to mask, and should not throw: if one
 * does, the text is replaced by {@value #MASKING_FAILED} rather than exported unmasked.
 */
@FunctionalInterface
public interface TelemetryMasker {
    /** What replaces a text whose masking threw. */
    String MASKING_FAILED = "[REDACTED: masking failed]";

    /** A masker that changes nothing (the default). */
    TelemetryMasker NONE = text -> text;

    /** Returns {@code text} (never null) with personal data masked. */
    String mask(String text);
}
