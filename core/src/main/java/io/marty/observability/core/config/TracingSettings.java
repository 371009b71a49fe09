package io.marty.observability.core.config;

import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.SpanLimitsBuilder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Tracing: on/off, span exporter, sampling, propagation, span batch processor and span limits.
 * Immutable; build with {@link #builder(ConfigSource)}.
 *
 * <p>Default sampling is parent-based trace-id ratio with the rate of the deployment environment
 * ({@link #defaultSampleRate(String)}): development 1.0, staging 0.3, production 0.05, any other
 * (testing included) 0.1.
 *
 * <pre>{@code
 * TracingSettings tracing = TracingSettings.builder(ConfigSource.environment())
 *         .environment("production")      // default rate 0.05
 *         .sampleRate(0.2)                // wins over MMF_TRACE_SAMPLE_RATE and OTEL_TRACES_SAMPLER(_ARG)
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>setting</th><th>variables, first set wins</th><th>default</th></tr>
 *   <tr><td>tracingEnabled</td><td>{@code MMF_TRACING_ENABLED}; {@code OTEL_SDK_DISABLED=true} turns it off</td><td>true</td></tr>
 *   <tr><td>tracesExporter</td><td>{@code MMF_TRACES_EXPORTER}, {@code OTEL_TRACES_EXPORTER}
 *       ({@code otlp|logging|console|none})</td><td>otlp</td></tr>
 *   <tr><td>sampleRate</td><td>{@code MMF_TRACE_SAMPLE_RATE}, {@code OTEL_TRACES_SAMPLER} with {@code
 *       OTEL_TRACES_SAMPLER_ARG} ({@code _ARG} alone sets the ratio of the default parent-based ratio sampler)</td>
 *       <td>per environment</td></tr>
 *   <tr><td>parentBasedSampling</td><td>{@code OTEL_TRACES_SAMPLER} ({@code parentbased_*} or not)</td><td>true</td></tr>
 *   <tr><td>b3Propagation, b3MultiHeader</td><td>{@code MMF_PROPAGATION_B3}, {@code OTEL_PROPAGATORS}
 *       listing {@code b3} / {@code b3multi}</td><td>off</td></tr>
 *   <tr><td>debug</td><td>{@code MMF_DEBUG}</td><td>false</td></tr>
 *   <tr><td>spanExport*</td><td>{@code OTEL_BSP_MAX_QUEUE_SIZE}, {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE},
 *       {@code OTEL_BSP_SCHEDULE_DELAY}, {@code OTEL_BSP_EXPORT_TIMEOUT} (ms)</td><td>2048, 512, 5 s, 30 s</td></tr>
 *   <tr><td>spanLimits</td><td>{@code OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT} ({@code OTEL_ATTRIBUTE_COUNT_LIMIT}),
 *       {@code OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT} ({@code OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT}),
 *       {@code OTEL_SPAN_EVENT_COUNT_LIMIT}, {@code OTEL_SPAN_LINK_COUNT_LIMIT},
 *       {@code OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT}, {@code OTEL_LINK_ATTRIBUTE_COUNT_LIMIT}</td>
 *       <td>the SDK's: 128 each, unlimited length</td></tr>
 * </table>
 */
public final class TracingSettings {
    private static final String SAMPLERS = "always_on, always_off, traceidratio, parentbased_always_on,"
            + " parentbased_always_off, parentbased_traceidratio";
    private static final Set<String> PROPAGATORS = Set.of("tracecontext", "baggage", "b3", "b3multi", "none");

    private final boolean enabled;
    private final String exporter;
    private final double sampleRate;
    private final boolean parentBased;
    private final boolean b3Propagation;
    private final boolean b3MultiHeader;
    private final boolean debug;
    private final BatchSettings batch;
    private final SpanLimits spanLimits;

    private TracingSettings(
            boolean enabled,
            String exporter,
            double sampleRate,
            boolean parentBased,
            boolean b3Propagation,
            boolean b3MultiHeader,
            boolean debug,
            BatchSettings batch,
            SpanLimits spanLimits) {
        this.enabled = enabled;
        this.exporter = exporter;
        this.sampleRate = sampleRate;
        this.parentBased = parentBased;
        this.b3Propagation = b3Propagation;
        this.b3MultiHeader = b3MultiHeader;
        this.debug = debug;
        this.batch = batch;
        this.spanLimits = spanLimits;
    }

    /** A builder reading nothing but its own values and the defaults. */
    public static Builder builder() {
        return new Builder(ConfigSource.empty());
    }

    /** A builder whose unset values are read from {@code source}. */
    public static Builder builder(ConfigSource source) {
        return new Builder(source);
    }

    /**
     * The default trace sample rate of a deployment environment: {@code development} (also {@code
     * dev}, {@code local}) 1.0, {@code staging} 0.3, {@code production} 0.05, anything else 0.1.
     */
    public static double defaultSampleRate(@Nullable String environment) {
        switch (environment == null ? "" : environment.trim().toLowerCase(Locale.ROOT)) {
            case "development":
            case "dev":
            case "local":
                return 1.0;
            case "staging":
                return 0.3;
            case "production":
                return 0.05;
            default:
                return 0.1;
        }
    }

    /** Whether spans are recorded at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Span exporter name: {@code otlp}, {@code logging} or {@code none}. */
    public String exporter() {
        return exporter;
    }

    /** Trace sample rate in [0, 1]. */
    public double sampleRate() {
        return sampleRate;
    }

    /** Whether sampling follows the parent's decision. */
    public boolean parentBased() {
        return parentBased;
    }

    /** Whether B3 headers are injected and extracted in addition to W3C. */
    public boolean b3Propagation() {
        return b3Propagation;
    }

    /** When B3 is on: inject the multi-header form instead of the single {@code b3} header. */
    public boolean b3MultiHeader() {
        return b3MultiHeader;
    }

    /** Debug mode: also log every exported span through {@code java.util.logging}. */
    public boolean debug() {
        return debug;
    }

    /** The span batch processor. */
    public BatchSettings batch() {
        return batch;
    }

    /** Limits on attributes, events and links per span. */
    public SpanLimits spanLimits() {
        return spanLimits;
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = builder()
                .tracingEnabled(enabled)
                .tracesExporter(exporter)
                .sampleRate(sampleRate)
                .parentBasedSampling(parentBased)
                .b3Propagation(b3Propagation)
                .b3MultiHeader(b3MultiHeader)
                .debug(debug)
                .spanLimits(spanLimits);
        batch.copyTo(b.values, "spanExport");
        return b;
    }

    @Override
    public String toString() {
        return "TracingSettings{enabled=" + enabled + ", exporter=" + exporter + ", sampleRate=" + sampleRate
                + (parentBased ? " parent-based" : "") + ", b3=" + b3Propagation + ", batch=" + batch + "}";
    }

    // ---- resolution helpers shared with the other areas --------------------------------------

    static boolean sdkDisabled(Values v) {
        Setting<String> raw = v.raw("OTEL_SDK_DISABLED");
        return raw != null && Values.parse(raw, Values.BOOLEAN).value;
    }

    static boolean enabledUnlessSdkDisabled(Values v, String property, String variable) {
        Setting<Boolean> enabled = v.get(property, Values.BOOLEAN, true, variable);
        return v.isSet(property) ? enabled.value : enabled.value && !sdkDisabled(v);
    }

    /** Exporter name: {@code otlp}, {@code logging} ({@code console} is an alias) or {@code none}. */
    static String exporter(Values v, String property, String... variables) {
        Setting<String> s = v.string(property, "otlp", variables);
        String name = s.value == null ? "" : s.value.trim().toLowerCase(Locale.ROOT);
        if (name.equals("console")) {
            name = "logging";
        }
        if (!name.equals("otlp") && !name.equals("logging") && !name.equals("none")) {
            throw s.invalid("unknown exporter; must be one of otlp, logging, none");
        }
        return name;
    }

    private static String[] propagators(Values v) {
        Setting<String> raw = v.raw("OTEL_PROPAGATORS");
        if (raw == null) {
            return new String[0];
        }
        String[] names = raw.value.trim().toLowerCase(Locale.ROOT).split("\\s*,\\s*");
        for (String name : names) {
            if (!PROPAGATORS.contains(name)) {
                throw raw.invalid("unsupported propagator '" + name + "'; must be a list of tracecontext, baggage,"
                        + " b3, b3multi, none"
                        + " (W3C trace context, baggage and the x-mmf-* headers are always on)");
            }
        }
        return names;
    }

    private static boolean contains(String[] names, String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static SpanLimits resolveSpanLimits(Values v) {
        if (v.isSet("spanLimits")) {
            return (SpanLimits) v.get("spanLimits", null, null).value;
        }
        SpanLimitsBuilder b = SpanLimits.getDefault().toBuilder();
        limit(v, b::setMaxNumberOfAttributes, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT");
        limit(
                v,
                b::setMaxAttributeValueLength,
                "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
                "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT");
        limit(v, b::setMaxNumberOfEvents, "OTEL_SPAN_EVENT_COUNT_LIMIT");
        limit(v, b::setMaxNumberOfLinks, "OTEL_SPAN_LINK_COUNT_LIMIT");
        limit(v, b::setMaxNumberOfAttributesPerEvent, "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT");
        limit(v, b::setMaxNumberOfAttributesPerLink, "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT");
        return b.build();
    }

    /** Applies the first set variable as a limit (a non-negative integer). */
    static void limit(Values v, IntConsumer setter, String... variables) {
        for (String variable : variables) {
            Setting<String> raw = v.raw(variable);
            if (raw != null) {
                Setting<Integer> n = Values.parse(raw, Values.INTEGER);
                if (n.value < 0) {
                    throw n.invalid("must be zero or a positive integer");
                }
                setter.accept(n.value);
                return;
            }
        }
    }

    /** Builder of {@link TracingSettings}; {@link #build()} validates. */
    public static final class Builder {
        private final Values values;
        private String environment = ServiceSettings.DEFAULT_ENVIRONMENT;

        private Builder(ConfigSource source) {
            this.values = new Values(source);
        }

        /**
         * The deployment environment whose {@link #defaultSampleRate(String)} applies when no rate
         * is set (default {@code development}); {@code ObservabilityConfig} sets it from its service
         * settings.
         */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** Turns span recording on or off (default on). */
        public Builder tracingEnabled(boolean enabled) {
            values.set("tracingEnabled", enabled);
            return this;
        }

        /** Span exporter name: {@code otlp} (default), {@code logging} ({@code console}) or {@code none}. */
        public Builder tracesExporter(String exporter) {
            values.set("tracesExporter", exporter);
            return this;
        }

        /** Trace sample rate in [0, 1]; default depends on the environment. */
        public Builder sampleRate(double rate) {
            values.set("sampleRate", rate);
            return this;
        }

        /** Whether sampling follows a sampled/unsampled parent (default true). */
        public Builder parentBasedSampling(boolean parentBased) {
            values.set("parentBasedSampling", parentBased);
            return this;
        }

        /** Enables B3 (single {@code b3} header) in addition to W3C. */
        public Builder b3Propagation(boolean enabled) {
            values.set("b3Propagation", enabled);
            return this;
        }

        /** When B3 is enabled, inject the multi-header form instead of the single header. */
        public Builder b3MultiHeader(boolean multi) {
            values.set("b3MultiHeader", multi);
            return this;
        }

        /** Debug mode: additionally log every span through {@code java.util.logging}. */
        public Builder debug(boolean debug) {
            values.set("debug", debug);
            return this;
        }

        /** Bounded queue of the span batch processor (default 2048); overflow is dropped and counted. */
        public Builder spanExportQueueSize(int size) {
            values.set("spanExportQueueSize", size);
            return this;
        }

        /** Maximum spans per export request (default 512; at most the queue size). */
        public Builder spanExportBatchSize(int size) {
            values.set("spanExportBatchSize", size);
            return this;
        }

        /** Delay between two span exports when the batch is not full (default 5 s). */
        public Builder spanExportScheduleDelay(Duration delay) {
            values.set("spanExportScheduleDelay", delay);
            return this;
        }

        /** How long one span export may take before it counts as failed (default 30 s). */
        public Builder spanExportTimeout(Duration timeout) {
            values.set("spanExportTimeout", timeout);
            return this;
        }

        /** Span limits, replacing those of the {@code OTEL_*_LIMIT} variables. */
        public Builder spanLimits(SpanLimits limits) {
            values.set("spanLimits", Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws io.marty.observability.core.ObservabilityConfigException naming the key and value
         */
        public TracingSettings build() {
            Setting<Double> rate = new Setting<>("environment", environment, defaultSampleRate(environment));
            boolean parentBased = true;
            Setting<String> sampler = values.raw("OTEL_TRACES_SAMPLER");
            Setting<String> arg = values.raw("OTEL_TRACES_SAMPLER_ARG");
            if (sampler != null) {
                String name = sampler.value.trim().toLowerCase(Locale.ROOT);
                parentBased = name.startsWith("parentbased_");
                switch (parentBased ? name.substring("parentbased_".length()) : name) {
                    case "always_on":
                        rate = new Setting<>(sampler.key, sampler.raw, 1.0);
                        break;
                    case "always_off":
                        rate = new Setting<>(sampler.key, sampler.raw, 0.0);
                        break;
                    case "traceidratio":
                        // the spec's default ratio when the argument is missing
                        rate = arg != null
                                ? Values.parse(arg, Values.NUMBER)
                                : new Setting<>(sampler.key, sampler.raw, 1.0);
                        break;
                    default:
                        throw sampler.invalid("unknown sampler; must be one of " + SAMPLERS);
                }
            } else if (arg != null) {
                // the default sampler is parentbased_traceidratio: the argument is its ratio
                rate = Values.parse(arg, Values.NUMBER);
            }
            if (values.isSet("sampleRate") || values.raw("MMF_TRACE_SAMPLE_RATE") != null) {
                rate = values.get("sampleRate", Values.NUMBER, null, "MMF_TRACE_SAMPLE_RATE");
            }
            if (rate.value == null || Double.isNaN(rate.value) || rate.value < 0.0 || rate.value > 1.0) {
                throw rate.invalid("the sample rate must be between 0.0 and 1.0");
            }
            parentBased = values.get("parentBasedSampling", Values.BOOLEAN, parentBased).value;
            String[] propagators = propagators(values);
            boolean listsB3 = contains(propagators, "b3") || contains(propagators, "b3multi");
            return new TracingSettings(
                    enabledUnlessSdkDisabled(values, "tracingEnabled", "MMF_TRACING_ENABLED"),
                    exporter(values, "tracesExporter", "MMF_TRACES_EXPORTER", "OTEL_TRACES_EXPORTER"),
                    rate.value,
                    parentBased,
                    values.get("b3Propagation", Values.BOOLEAN, listsB3, "MMF_PROPAGATION_B3").value,
                    values.get("b3MultiHeader", Values.BOOLEAN, contains(propagators, "b3multi")).value,
                    values.get("debug", Values.BOOLEAN, false, "MMF_DEBUG").value,
                    BatchSettings.resolve(
                            values,
                            "spanExport",
                            "OTEL_BSP_",
                            Duration.ofSeconds(5),
                            BatchSettings.DEFAULT_SPAN_QUEUE_SIZE,
                            BatchSettings.DEFAULT_SPAN_BATCH_SIZE),
                    resolveSpanLimits(values));
        }
    }
}
