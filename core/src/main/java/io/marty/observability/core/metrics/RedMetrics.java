package io.marty.observability.core.metrics;

import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.core.failure.InstrumentationErrors;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Rate / errors / duration metrics of requests, shared by the HTTP and gRPC integrations: {@value
 * MetricNames#REQUESTS_TOTAL}, {@value MetricNames#REQUEST_DURATION_SECONDS} (classic buckets {@link
 * #DURATION_BUCKETS} + native histogram + trace exemplars), {@value MetricNames#ACTIVE_REQUESTS},
 * {@value MetricNames#ERRORS_TOTAL}. Label values of a route are cached, so the hot path does one map
 * lookup per request (none with {@link #route}).
 *
 * <pre>{@code
 * RedMetrics red = MartyObservability.current().orElseThrow().metrics().red();
 * RequestTimer t = red.start(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}");
 * ... handle ...
 * t.end("200", Outcome.SUCCESS);
 * }</pre>
 */
public final class RedMetrics {
    private static final Logger logger = Logger.getLogger(RedMetrics.class.getName());

    /** Classic histogram bucket bounds in seconds; SLO latency thresholds must be one of them. */
    public static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final String service;
    private final Counter requests;
    private final Histogram duration;
    private final Gauge active;
    private final Counter errors;
    private final int maxRoutes;
    private final Runnable onOverflow;
    // [protocol * 2 + direction] -> method -> route -> instruments: lookups allocate nothing
    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Route>>[] routes = new ConcurrentHashMap[4];

    private final AtomicInteger routeCount = new AtomicInteger();
    private final AtomicBoolean overflowWarned = new AtomicBoolean();
    private final GaugeDataPoint[] activeChildren = new GaugeDataPoint[4];
    private final CopyOnWriteArrayList<RequestListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder completed = new LongAdder();
    // the exception is counted (nearly every request carries a correlation id): one adder per request
    private final LongAdder uncorrelatedCompleted = new LongAdder();
    private final InstrumentationErrors instrumentationErrors;
    private final boolean enabled;

    RedMetrics(
            String service,
            Counter requests,
            Histogram duration,
            Gauge active,
            Counter errors,
            int maxRoutes,
            Runnable onOverflow,
            InstrumentationErrors instrumentationErrors,
            boolean enabled) {
        this.service = service;
        this.requests = requests;
        this.duration = duration;
        this.active = active;
        this.errors = errors;
        this.maxRoutes = maxRoutes;
        this.onOverflow = onOverflow;
        this.instrumentationErrors = instrumentationErrors;
        this.enabled = enabled;
        for (int i = 0; i < routes.length; i++) {
            routes[i] = new ConcurrentHashMap<>();
        }
        if (enabled) {
            for (Protocol p : Protocol.values()) {
                for (Direction d : Direction.values()) {
                    activeChildren[p.ordinal() * 2 + d.ordinal()] =
                            active.labelValues(service, p.labelValue(), d.labelValue());
                }
            }
        }
    }

    /** The service label value. */
    public String service() {
        return service;
    }

    /**
     * Starts timing a request: increments {@value MetricNames#ACTIVE_REQUESTS} and remembers the
     * current span (exemplar) and whether a correlation id is present (coverage ratio).
     *
     * @param method HTTP method or gRPC full method name (bounded set)
     * @param route route template, never a raw path with ids
     */
    public RequestTimer start(Protocol protocol, Direction direction, @Nullable String method, @Nullable String route) {
        return route(protocol, direction, method, route).start();
    }

    /**
     * The cached instruments of one route; integrations may keep it per route to skip the lookup.
     * Beyond {@code maxSeriesPerMetric} distinct routes, new ones are recorded as method and route
     * {@code other} (counted in {@value MetricNames#METRIC_SERIES_OVERFLOW_TOTAL}).
     */
    public Route route(Protocol protocol, Direction direction, @Nullable String method, @Nullable String route) {
        Protocol p = protocol == null ? Protocol.HTTP : protocol;
        Direction d = direction == null ? Direction.SERVER : direction;
        String m = method == null ? "none" : method;
        String r = route == null ? "none" : route;
        ConcurrentHashMap<String, ConcurrentHashMap<String, Route>> byMethod = routes[p.ordinal() * 2 + d.ordinal()];
        ConcurrentHashMap<String, Route> byRoute = byMethod.get(m);
        Route existing = byRoute == null ? null : byRoute.get(r);
        if (existing != null) {
            return existing;
        }
        if (routeCount.incrementAndGet() > maxRoutes) {
            routeCount.decrementAndGet();
            onOverflow.run();
            if (overflowWarned.compareAndSet(false, true)) {
                logger.log(
                        Level.WARNING,
                        "more than {0} distinct routes: use route templates; further routes are"
                                + " recorded as ''other''",
                        maxRoutes);
            }
            return byMethod.computeIfAbsent(MetricNames.OVERFLOW_VALUE, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(
                            MetricNames.OVERFLOW_VALUE,
                            k -> new Route(p, d, MetricNames.OVERFLOW_VALUE, MetricNames.OVERFLOW_VALUE));
        }
        Route created = new Route(p, d, m, r);
        Route raced =
                byMethod.computeIfAbsent(m, k -> new ConcurrentHashMap<>()).putIfAbsent(r, created);
        if (raced != null) {
            routeCount.decrementAndGet();
            return raced;
        }
        return created;
    }

    /** Records an already finished request (when start/end timing is not available). */
    public void record(
            Protocol protocol,
            Direction direction,
            @Nullable String method,
            @Nullable String route,
            @Nullable String status,
            Outcome outcome,
            double durationSeconds) {
        route(protocol, direction, method, route).finish(null, status, outcome, null, durationSeconds);
    }

    /** Adds a listener called for every completed request. */
    public void addListener(RequestListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener. */
    public void removeListener(RequestListener listener) {
        listeners.remove(listener);
    }

    /** Share of completed requests that carried a correlation id, or NaN before the first one. */
    public double correlationCoverage() {
        // finish counts 'completed' first: read the other one first, so it never exceeds the total
        long uncorrelated = uncorrelatedCompleted.sum();
        long total = completed.sum();
        return total == 0 ? Double.NaN : (double) (total - uncorrelated) / total;
    }

    /** Instruments of one (protocol, direction, method, route); obtained from {@link #route}. */
    public final class Route {
        private final Protocol protocol;
        private final Direction direction;
        private final String method;
        private final String route;
        private final GaugeDataPoint activeChild;
        // per outcome: status -> requests child; duration child; errors per error type
        @SuppressWarnings("unchecked")
        private final ConcurrentHashMap<String, CounterDataPoint>[] requestChildren = new ConcurrentHashMap[3];

        private final DistributionDataPoint[] durationChildren = new DistributionDataPoint[3];
        // per outcome: the first status recorded and its series; status values are shared constants
        // (HTTP status texts, gRPC code names), so the common status skips the map by an identity check
        private final StatusSeries[] firstStatus = new StatusSeries[3];
        private final ConcurrentHashMap<String, CounterDataPoint> errorChildren = new ConcurrentHashMap<>();

        Route(Protocol protocol, Direction direction, String method, String route) {
            this.protocol = protocol;
            this.direction = direction;
            this.method = method;
            this.route = route;
            this.activeChild = enabled ? activeChildren[protocol.ordinal() * 2 + direction.ordinal()] : null;
            for (int i = 0; i < 3; i++) {
                requestChildren[i] = new ConcurrentHashMap<>();
            }
        }

        /** Starts timing a request on this route; the current span is its exemplar candidate. */
        public RequestTimer start() {
            return start(Context.current());
        }

        /**
         * Starts timing a request whose span and correlation are in {@code context}, without making
         * it current (integrations that own the request's context use this). Never throws: a
         * failure is counted for {@code red_metrics} and the timer records nothing.
         */
        public RequestTimer start(Context context) {
            if (enabled) {
                try {
                    SpanContext span = Span.fromContext(context).getSpanContext();
                    boolean correlated = CorrelationContext.fromContext(context).correlationId() != null;
                    activeChild.inc();
                    return new RequestTimer(this, System.nanoTime(), span, correlated);
                } catch (RuntimeException e) {
                    instrumentationErrors.record(InstrumentationErrors.RED_METRICS, "cannot start a request timer", e);
                }
            }
            return new RequestTimer(null, System.nanoTime(), SpanContext.getInvalid(), false);
        }

        void finish(RequestTimer timer, String status, Outcome outcome, String errorType, double seconds) {
            if (!enabled) {
                return;
            }
            try {
                Outcome o = outcome == null ? Outcome.SERVER_ERROR : outcome;
                String s = status == null ? "none" : status;
                if (timer != null) {
                    activeChild.dec();
                }
                StatusSeries first = firstStatus[o.ordinal()];
                CounterDataPoint rc = first != null && first.status == s ? first.requests : null;
                if (rc == null) {
                    rc = requestSeries(o, s);
                    if (first == null) {
                        firstStatus[o.ordinal()] = new StatusSeries(s, rc);
                    }
                }
                rc.inc();
                DistributionDataPoint dc = durationChildren[o.ordinal()];
                if (dc == null) {
                    dc = duration.labelValues(
                            service, protocol.labelValue(), direction.labelValue(), method, route, o.labelValue());
                    durationChildren[o.ordinal()] = dc;
                }
                SpanContext sc =
                        timer != null ? timer.spanContext() : Span.current().getSpanContext();
                MartyHistogram.observeWithSpan(dc, Math.max(0, seconds), sc);
                if (errorType != null || o == Outcome.SERVER_ERROR) {
                    String et = errorType != null ? errorType : o.labelValue();
                    CounterDataPoint ec = errorChildren.get(et);
                    if (ec == null) {
                        // error types come from exception classes / status names: bounded, but capped anyway
                        String label = errorChildren.size() >= 64 ? MetricNames.OVERFLOW_VALUE : et;
                        ec = errorChildren.computeIfAbsent(
                                label,
                                k -> errors.labelValues(
                                        service, protocol.labelValue(), direction.labelValue(), method, route, k));
                    }
                    ec.inc();
                }
                completed.increment();
                boolean correlated = timer != null
                        ? timer.correlated()
                        : CorrelationContext.current().correlationId() != null;
                if (!correlated) {
                    uncorrelatedCompleted.increment();
                }
                if (!listeners.isEmpty()) {
                    notifyListeners(new CompletedRequest(
                            service, protocol, direction, method, route, s, o, seconds, System.currentTimeMillis()));
                }
            } catch (RuntimeException e) {
                instrumentationErrors.record(InstrumentationErrors.RED_METRICS, "cannot record request metrics", e);
            }
        }

        private CounterDataPoint requestSeries(Outcome o, String s) {
            ConcurrentHashMap<String, CounterDataPoint> byStatus = requestChildren[o.ordinal()];
            CounterDataPoint rc = byStatus.get(s);
            if (rc == null) {
                rc = byStatus.computeIfAbsent(
                        s,
                        k -> requests.labelValues(
                                service,
                                protocol.labelValue(),
                                direction.labelValue(),
                                method,
                                route,
                                k,
                                o.labelValue()));
            }
            return rc;
        }
    }

    /** A status value and its requests series. */
    private static final class StatusSeries {
        final String status;
        final CounterDataPoint requests;

        StatusSeries(String status, CounterDataPoint requests) {
            this.status = status;
            this.requests = requests;
        }
    }

    private void notifyListeners(CompletedRequest request) {
        for (RequestListener l : listeners) {
            try {
                l.onRequest(request);
            } catch (RuntimeException e) {
                instrumentationErrors.record(
                        InstrumentationErrors.REQUEST_LISTENER,
                        "request listener " + l.getClass().getName() + " threw",
                        e);
            }
        }
    }

    static List<String> requestLabelNames() {
        return List.of(
                MetricNames.LABEL_SERVICE,
                MetricNames.LABEL_PROTOCOL,
                MetricNames.LABEL_DIRECTION,
                MetricNames.LABEL_METHOD,
                MetricNames.LABEL_ROUTE,
                MetricNames.LABEL_STATUS,
                MetricNames.LABEL_OUTCOME);
    }
}
