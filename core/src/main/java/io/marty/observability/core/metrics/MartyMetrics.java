package io.marty.observability.core.metrics;

import io.marty.observability.core.correlation.MmfPropagator;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Metrics facade of one service on a Prometheus {@link PrometheusRegistry}: the {@link #red() RED
 * metrics} plus a factory for custom metrics. Every metric gets the {@code mmf_} prefix and a
 * {@code service} label; instances are cached by name (asking again returns the same instance);
 * each metric has a series cap beyond which new label combinations go to one {@code other} series,
 * counted in {@value MetricNames#METRIC_SERIES_OVERFLOW_TOTAL}.
 *
 * <pre>{@code
 * MartyMetrics metrics = MartyObservability.current().orElseThrow().metrics();
 * metrics.counter("orders_total", "Orders placed.", "channel").labels("web").inc();
 * metrics.timer("db_query_seconds", "Query time.", "query").labels("find").time(() -> repo.find(id));
 * }</pre>
 */
public final class MartyMetrics implements AutoCloseable {

    private final String service;
    private final PrometheusRegistry registry;
    private final int maxSeriesPerMetric;
    private final boolean enabled;
    private final List<Collector> registered = new ArrayList<>();
    private final ConcurrentHashMap<String, Registration> custom = new ConcurrentHashMap<>();
    private final Counter overflowCounter;
    private final ConcurrentHashMap<String, CounterDataPoint> overflowChildren = new ConcurrentHashMap<>();
    private final RedMetrics red;
    private final InstrumentationErrors instrumentationErrors = new InstrumentationErrors();

    private MartyMetrics(Builder b) {
        this.service = b.serviceName;
        this.registry = b.registry != null ? b.registry : PrometheusRegistry.defaultRegistry;
        this.maxSeriesPerMetric = b.maxSeriesPerMetric;
        this.enabled = b.enabled;
        this.overflowCounter = Counter.builder()
                .name(MetricNames.METRIC_SERIES_OVERFLOW_TOTAL)
                .help("Data points recorded on the 'other' series because a metric reached its series limit.")
                .labelNames(MetricNames.LABEL_SERVICE, MetricNames.LABEL_METRIC)
                .build();
        Counter requests = Counter.builder()
                .name(MetricNames.REQUESTS_TOTAL)
                .help("Completed requests.")
                .labelNames(RedMetrics.requestLabelNames().toArray(new String[0]))
                .build();
        Histogram duration = Histogram.builder()
                .name(MetricNames.REQUEST_DURATION_SECONDS)
                .help("Request duration in seconds.")
                .unit(Unit.SECONDS)
                .classicUpperBounds(RedMetrics.DURATION_BUCKETS)
                .labelNames(
                        MetricNames.LABEL_SERVICE,
                        MetricNames.LABEL_PROTOCOL,
                        MetricNames.LABEL_DIRECTION,
                        MetricNames.LABEL_METHOD,
                        MetricNames.LABEL_ROUTE,
                        MetricNames.LABEL_OUTCOME)
                .build();
        Gauge active = Gauge.builder()
                .name(MetricNames.ACTIVE_REQUESTS)
                .help("Requests in flight.")
                .labelNames(MetricNames.LABEL_SERVICE, MetricNames.LABEL_PROTOCOL, MetricNames.LABEL_DIRECTION)
                .build();
        Counter errors = Counter.builder()
                .name(MetricNames.ERRORS_TOTAL)
                .help("Failed requests by error type.")
                .labelNames(
                        MetricNames.LABEL_SERVICE,
                        MetricNames.LABEL_PROTOCOL,
                        MetricNames.LABEL_DIRECTION,
                        MetricNames.LABEL_METHOD,
                        MetricNames.LABEL_ROUTE,
                        MetricNames.LABEL_ERROR_TYPE)
                .build();
        this.red = new RedMetrics(
                service,
                requests,
                duration,
                active,
                errors,
                maxSeriesPerMetric,
                overflowRecorder(MetricNames.REQUESTS_TOTAL),
                instrumentationErrors,
                enabled);
        if (!enabled) {
            return;
        }
        Info buildInfo = Info.builder()
                .name(MetricNames.SERVICE_BUILD_INFO)
                .help("Service build information (value is always 1).")
                .labelNames(MetricNames.LABEL_SERVICE, "version", "environment")
                .build();
        buildInfo.addLabelValues(service, b.serviceVersion, b.environment);
        GaugeWithCallback coverage = GaugeWithCallback.builder()
                .name(MetricNames.CORRELATION_COVERAGE_RATIO)
                .help("Share of completed requests that carried a correlation id.")
                .labelNames(MetricNames.LABEL_SERVICE)
                .callback(cb -> {
                    double v = red.correlationCoverage();
                    if (!Double.isNaN(v)) {
                        cb.call(v, service);
                    }
                })
                .build();
        CounterWithCallback invalidHeaders = CounterWithCallback.builder()
                .name(MetricNames.CORRELATION_INVALID_HEADERS_TOTAL)
                .help("Incoming correlation header values rejected by validation and replaced.")
                .labelNames(MetricNames.LABEL_SERVICE)
                .callback(cb -> cb.call(MmfPropagator.invalidValueCount(), service))
                .build();
        CounterWithCallback instrumentationErrorsTotal = CounterWithCallback.builder()
                .name(MetricNames.INSTRUMENTATION_ERRORS_TOTAL)
                .help("Failures of the instrumentation itself; the request went on uninstrumented.")
                .labelNames(MetricNames.LABEL_SERVICE, MetricNames.LABEL_COMPONENT)
                .callback(cb -> instrumentationErrors.forEach((component, n) -> cb.call(n, service, component)))
                .build();
        for (Collector c : List.of(
                requests,
                duration,
                active,
                errors,
                buildInfo,
                coverage,
                invalidHeaders,
                instrumentationErrorsTotal,
                overflowCounter)) {
            register(c);
        }
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where integrations report failures of their own code (fail open), exposed as {@value
     * MetricNames#INSTRUMENTATION_ERRORS_TOTAL}; counts and logs also when metrics are disabled.
     */
    public InstrumentationErrors instrumentationErrors() {
        return instrumentationErrors;
    }

    /** The RED metrics shared by the HTTP and gRPC integrations. */
    public RedMetrics red() {
        return red;
    }

    /** The registry every metric is registered in (scraped by {@code /metrics}). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The service label value. */
    public String service() {
        return service;
    }

    /** Series cap per metric. */
    public int maxSeriesPerMetric() {
        return maxSeriesPerMetric;
    }

    /**
     * A counter named {@code mmf_<name>} (the {@code mmf_} prefix and {@code _total} suffix are added
     * when missing).
     *
     * @throws IllegalArgumentException for an invalid name or label name, or when the name is
     *     already used with another type or other label names
     */
    public MartyCounter counter(String name, @Nullable String help, String... labelNames) {
        String base = stripSuffix(prefixed(name), "_total");
        String exposed = base + "_total";
        return define(
                exposed,
                MartyCounter.class,
                labelNames,
                () -> Counter.builder()
                        .name(base)
                        .help(help(help, exposed))
                        .labelNames(withService(labelNames))
                        .build(),
                MartyCounter.Child::new,
                MartyCounter::new);
    }

    /** A gauge named {@code mmf_<name>}. */
    public MartyGauge gauge(String name, @Nullable String help, String... labelNames) {
        String exposed = prefixed(name);
        return define(
                exposed,
                MartyGauge.class,
                labelNames,
                () -> Gauge.builder()
                        .name(exposed)
                        .help(help(help, exposed))
                        .labelNames(withService(labelNames))
                        .build(),
                MartyGauge.Child::new,
                MartyGauge::new);
    }

    /**
     * A histogram named {@code mmf_<name>} with these classic bucket bounds (strictly increasing)
     * plus a native histogram.
     */
    public MartyHistogram histogram(String name, @Nullable String help, double[] buckets, String... labelNames) {
        String exposed = prefixed(name);
        double[] bounds = checkBuckets(exposed, buckets);
        return define(
                exposed,
                MartyHistogram.class,
                labelNames,
                () -> histogramBuilder(exposed, help, bounds, labelNames).build(),
                MartyHistogram.Child::new,
                MartyHistogram::new);
    }

    /** A duration histogram {@code mmf_<name>} ending in {@code _seconds}, buckets {@link RedMetrics#DURATION_BUCKETS}. */
    public MartyTimer timer(String name, @Nullable String help, String... labelNames) {
        return timer(name, help, RedMetrics.DURATION_BUCKETS, labelNames);
    }

    /** A duration histogram {@code mmf_<name>} ending in {@code _seconds}, with these buckets (seconds). */
    public MartyTimer timer(String name, @Nullable String help, double[] buckets, String... labelNames) {
        String p = prefixed(name);
        String exposed = p.endsWith("_seconds") ? p : p + "_seconds";
        double[] bounds = checkBuckets(exposed, buckets);
        return define(
                exposed,
                MartyTimer.class,
                labelNames,
                () -> histogramBuilder(exposed, help, bounds, labelNames)
                        .unit(Unit.SECONDS)
                        .build(),
                MartyTimer.Child::new,
                MartyTimer::new);
    }

    private static Histogram.Builder histogramBuilder(
            String exposed, String help, double[] bounds, String[] labelNames) {
        return Histogram.builder()
                .name(exposed)
                .help(help(help, exposed))
                .classicUpperBounds(bounds)
                .labelNames(withService(labelNames));
    }

    /**
     * Returns the cached metric of this name, or builds the client_java metric, registers it and
     * wraps it with a capped series cache.
     */
    private <D extends DataPoint, M extends StatefulMetric<D, ?>, C, W> W define(
            String exposed,
            Class<W> type,
            String[] labelNames,
            Supplier<M> build,
            Function<D, C> child,
            BiFunction<String, SeriesCache<C>, W> wrap) {
        return lookup(exposed, type, labelNames, () -> {
            M metric = build.get();
            register(metric);
            return wrap.apply(exposed, series(exposed, labelNames.length, metric::labelValues, child));
        });
    }

    /** Unregisters every metric this instance registered. Called by {@code MartyObservability.close()}. */
    @Override
    public void close() {
        synchronized (registered) {
            for (Collector c : registered) {
                try {
                    registry.unregister(c);
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
            registered.clear();
        }
    }

    // ---- internals ----------------------------------------------------------------------------

    private void register(Collector c) {
        if (!enabled) {
            return;
        }
        registry.register(c);
        synchronized (registered) {
            registered.add(c);
        }
    }

    /**
     * The capped child cache of one custom metric: children wrap the data point of ({@code service},
     * label values...); the no-op child (wrapping null) absorbs calls with a wrong label count.
     */
    private <D, C> SeriesCache<C> series(
            String exposed, int labelCount, Function<String[], D> dataPoint, Function<D, C> child) {
        return new SeriesCache<>(
                exposed,
                labelCount,
                maxSeriesPerMetric,
                values -> child.apply(dataPoint.apply(prepend(service, values))),
                overflowRecorder(exposed),
                child.apply(null));
    }

    private Runnable overflowRecorder(String metric) {
        return () -> {
            if (enabled) {
                overflowChildren
                        .computeIfAbsent(metric, m -> overflowCounter.labelValues(service, m))
                        .inc();
            }
        };
    }

    private <T> T lookup(String exposed, Class<T> type, String[] labelNames, Supplier<T> create) {
        checkLabelNames(exposed, labelNames);
        List<String> labels = List.of(labelNames);
        Registration r = custom.computeIfAbsent(exposed, k -> new Registration(type, labels, create.get()));
        if (r.type != type || !r.labelNames.equals(labels)) {
            throw new IllegalArgumentException("metric " + exposed + " is already registered as "
                    + r.type.getSimpleName() + r.labelNames + "; cannot re-register it as " + type.getSimpleName()
                    + labels);
        }
        return type.cast(r.instance);
    }

    private static final class Registration {
        final Class<?> type;
        final List<String> labelNames;
        final Object instance;

        Registration(Class<?> type, List<String> labelNames, Object instance) {
            this.type = type;
            this.labelNames = labelNames;
            this.instance = instance;
        }
    }

    static String[] prepend(String service, String[] values) {
        String[] all = new String[values.length + 1];
        all[0] = service;
        System.arraycopy(values, 0, all, 1, values.length);
        return all;
    }

    private static String[] withService(String[] labelNames) {
        return prepend(MetricNames.LABEL_SERVICE, labelNames);
    }

    private static String help(String help, String name) {
        return help == null || help.isBlank() ? name : help;
    }

    private static String prefixed(String name) {
        Objects.requireNonNull(name, "name");
        checkName("metric name", name, name);
        return name.startsWith(MetricNames.PREFIX) ? name : MetricNames.PREFIX + name;
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    private static void checkName(String what, String metric, String name) {
        boolean ok = !name.isEmpty();
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            ok = letter || (i > 0 && c >= '0' && c <= '9');
        }
        if (!ok) {
            throw new IllegalArgumentException(what + " '" + name + "' of metric " + metric
                    + " is invalid: use letters, digits and '_' and do not start with a digit");
        }
    }

    private static void checkLabelNames(String metric, String[] labelNames) {
        Set<String> seen = new HashSet<>();
        for (String l : labelNames) {
            Objects.requireNonNull(l, "label name");
            checkName("label name", metric, l);
            if (l.equals(MetricNames.LABEL_SERVICE)) {
                throw new IllegalArgumentException(
                        "label name 'service' of metric " + metric + " is reserved: it is added automatically");
            }
            if (l.startsWith("__")) {
                throw new IllegalArgumentException("label name '" + l + "' of metric " + metric + " is reserved");
            }
            if (!seen.add(l)) {
                throw new IllegalArgumentException("label name '" + l + "' of metric " + metric + " is duplicated");
            }
        }
    }

    private static double[] checkBuckets(String metric, double[] buckets) {
        if (buckets == null || buckets.length == 0) {
            throw new IllegalArgumentException("buckets of metric " + metric + " must not be empty");
        }
        for (int i = 0; i < buckets.length; i++) {
            if (Double.isNaN(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
                throw new IllegalArgumentException("buckets of metric " + metric
                        + " must be strictly increasing numbers: " + Arrays.toString(buckets));
            }
        }
        return buckets.clone();
    }

    /** Builder of {@link MartyMetrics} (normally created by {@code MartyObservability.start}). */
    public static final class Builder {
        private String serviceName;
        private String serviceVersion = "1.0.0";
        private String environment = "development";
        private PrometheusRegistry registry;
        private int maxSeriesPerMetric = 2000;
        private boolean enabled = true;

        private Builder() {}

        /** Required: the {@code service} label value. */
        public Builder serviceName(String serviceName) {
            this.serviceName = serviceName;
            return this;
        }

        /** Version shown in {@value MetricNames#SERVICE_BUILD_INFO}. */
        public Builder serviceVersion(String serviceVersion) {
            this.serviceVersion = serviceVersion;
            return this;
        }

        /** Environment shown in {@value MetricNames#SERVICE_BUILD_INFO}. */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** Registry to register in (default {@code PrometheusRegistry.defaultRegistry}). */
        public Builder registry(@Nullable PrometheusRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Series cap per metric (default 2000). */
        public Builder maxSeriesPerMetric(int max) {
            this.maxSeriesPerMetric = max;
            return this;
        }

        /** When false, nothing is registered and recording is a no-op. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Builds and registers the core metrics. */
        public MartyMetrics build() {
            if (serviceName == null || serviceName.isBlank()) {
                throw new IllegalArgumentException("serviceName must not be empty");
            }
            if (maxSeriesPerMetric < 1) {
                throw new IllegalArgumentException("maxSeriesPerMetric must be at least 1, was " + maxSeriesPerMetric);
            }
            return new MartyMetrics(this);
        }
    }
}
