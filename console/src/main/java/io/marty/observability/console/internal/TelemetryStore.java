package io.marty.observability.console.internal;

import io.marty.observability.console.ConsoleLog;
import io.marty.observability.console.ConsoleMetricPoint;
import io.marty.observability.console.ConsoleSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/** The console's three bounded stores and the queries the REST API answers. */
public final class TelemetryStore {
    static final int BY_TRACE = 0;
    static final int BY_CORRELATION = 1;
    static final int BY_SERVICE = 2;
    static final int BY_SERIES = 0;
    /** How many candidate traces a search inspects before giving up on filling its limit. */
    private static final int MAX_TRACE_CANDIDATES = 5000;

    private final BoundedStore<ConsoleSpan> spans;
    private final BoundedStore<ConsoleLog> logs;
    private final BoundedStore<ConsoleMetricPoint> metrics;
    private final AtomicLong seriesKeysBuilt = new AtomicLong();

    /**
     * The byte budget is shared out 3/8 to spans, 3/8 to logs and 1/4 to metric points; each store
     * evicts its oldest records when either its count or its share would be passed.
     */
    public TelemetryStore(int maxSpans, int maxLogs, int maxMetricPoints, long maxBytes) {
        List<Function<ConsoleSpan, String>> spanKeys =
                List.of(ConsoleSpan::traceId, ConsoleSpan::correlationId, ConsoleSpan::service);
        spans = new BoundedStore<>(maxSpans, maxBytes / 8 * 3, TelemetryStore::bytesOf, ConsoleSpan::withSeq, spanKeys);
        List<Function<ConsoleLog, String>> logKeys =
                List.of(ConsoleLog::traceId, ConsoleLog::correlationId, ConsoleLog::service);
        logs = new BoundedStore<>(maxLogs, maxBytes / 8 * 3, TelemetryStore::bytesOf, ConsoleLog::withSeq, logKeys);
        List<Function<ConsoleMetricPoint, String>> metricKeys = List.of(this::seriesKey, ConsoleMetricPoint::service);
        metrics = new BoundedStore<>(
                maxMetricPoints, maxBytes / 4, TelemetryStore::bytesOf, ConsoleMetricPoint::withSeq, metricKeys);
    }

    // ---- size estimates: object headers and references on a 64-bit JVM, 2 bytes per char (an
    // over-estimate for Latin-1 strings), plus the index entries each record adds ----

    private static final long RECORD = 160;
    private static final long MAP_ENTRY = 56;

    static long bytesOf(String s) {
        return 48 + 2L * s.length();
    }

    static long bytesOf(Map<String, String> attrs) {
        long n = 64;
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            n += MAP_ENTRY + bytesOf(e.getKey()) + bytesOf(e.getValue());
        }
        return n;
    }

    static long bytesOf(ConsoleSpan s) {
        long n = RECORD
                + bytesOf(s.traceId())
                + bytesOf(s.spanId())
                + bytesOf(s.parentSpanId())
                + bytesOf(s.name())
                + bytesOf(s.statusMessage())
                + bytesOf(s.correlationId())
                + bytesOf(s.attributes());
        for (ConsoleSpan.Event e : s.events()) {
            n += 64 + bytesOf(e.name()) + bytesOf(e.attributes());
        }
        return n;
    }

    static long bytesOf(ConsoleLog l) {
        return RECORD
                + bytesOf(l.body())
                + bytesOf(l.category())
                + bytesOf(l.logger())
                + bytesOf(l.traceId())
                + bytesOf(l.spanId())
                + bytesOf(l.correlationId())
                + bytesOf(l.attributes());
    }

    static long bytesOf(ConsoleMetricPoint p) {
        return RECORD
                + bytesOf(p.name())
                + bytesOf(p.unit())
                + bytesOf(p.attributes())
                + 24L * (p.bounds().size() + p.bucketCounts().size())
                + (96 + 2 * 48 + 2 * 32) * (long) p.exemplars().size()
                // the series key, held once per series but counted per point to stay an upper bound
                + bytesOf(p.name())
                + bytesOf(p.attributes());
    }

    public List<ConsoleSpan> addSpans(List<ConsoleSpan> s) {
        return spans.addAll(s);
    }

    public List<ConsoleLog> addLogs(List<ConsoleLog> l) {
        return logs.addAll(l);
    }

    /**
     * Stores a request's points, building each series key once per series of the request: the points
     * of one series (same name, service and attributes) share it rather than each concatenating the
     * name and sorted attributes again.
     */
    public List<ConsoleMetricPoint> addMetrics(List<ConsoleMetricPoint> m) {
        Map<SeriesId, String> keys = new HashMap<>();
        Function<ConsoleMetricPoint, String> seriesKey =
                p -> keys.computeIfAbsent(new SeriesId(p.name(), p.service(), p.attributes()), id -> seriesKey(p));
        return metrics.addAll(m, List.of(seriesKey, ConsoleMetricPoint::service));
    }

    /** Identity of a series within one request; name strings are shared by a metric's points, so hashing is cheap. */
    private record SeriesId(String name, String service, Map<String, String> attributes) {}

    private String seriesKey(ConsoleMetricPoint p) {
        seriesKeysBuilt.incrementAndGet();
        return p.seriesKey();
    }

    /** Series keys built so far (for tests: one per series and request, not one per point). */
    long seriesKeysBuilt() {
        return seriesKeysBuilt.get();
    }

    public BoundedStore<ConsoleSpan> spans() {
        return spans;
    }

    public BoundedStore<ConsoleLog> logs() {
        return logs;
    }

    public BoundedStore<ConsoleMetricPoint> metrics() {
        return metrics;
    }

    // ---- traces ----

    /** Filters for {@link #searchTraces}; empty strings and zero mean "any". */
    public record TraceQuery(String service, long minDurationNanos, String status, String correlationId, int limit) {}

    /** A trace as listed in search results. */
    public record TraceSummary(
            String traceId,
            String rootName,
            String rootService,
            long startEpochNanos,
            long durationNanos,
            int spanCount,
            int errorCount,
            List<String> services,
            String correlationId) {}

    public List<TraceSummary> searchTraces(TraceQuery q) {
        Set<String> candidates = new LinkedHashSet<>();
        Predicate<ConsoleSpan> spanFilter =
                s -> (q.service().isEmpty() || q.service().equals(s.service()))
                        && (q.correlationId().isEmpty() || q.correlationId().equals(s.correlationId()))
                        && candidates.add(s.traceId());
        if (!q.correlationId().isEmpty()) {
            for (ConsoleSpan s : spans.byKey(BY_CORRELATION, q.correlationId())) {
                spanFilter.test(s);
            }
        } else {
            spans.newest(spanFilter, MAX_TRACE_CANDIDATES);
        }
        List<TraceSummary> out = new ArrayList<>();
        for (String traceId : candidates) {
            TraceSummary t = summarize(traceId, spans.byKey(BY_TRACE, traceId));
            if (t == null || t.durationNanos() < q.minDurationNanos()) {
                continue;
            }
            if ("error".equalsIgnoreCase(q.status()) && t.errorCount() == 0) {
                continue;
            }
            if ("ok".equalsIgnoreCase(q.status()) && t.errorCount() > 0) {
                continue;
            }
            out.add(t);
        }
        out.sort(Comparator.comparingLong(TraceSummary::startEpochNanos).reversed());
        return out.size() > q.limit() ? out.subList(0, q.limit()) : out;
    }

    static TraceSummary summarize(String traceId, List<ConsoleSpan> trace) {
        if (trace.isEmpty()) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        for (ConsoleSpan s : trace) {
            ids.add(s.spanId());
        }
        ConsoleSpan root = null;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        int errors = 0;
        Set<String> services = new TreeSet<>();
        String correlation = "";
        for (ConsoleSpan s : trace) {
            // the root is the parentless span, else the earliest span whose parent we never received
            boolean rootish = s.parentSpanId().isEmpty() || !ids.contains(s.parentSpanId());
            if (rootish
                    && (root == null
                            || (root.parentSpanId().isEmpty()
                                            == s.parentSpanId().isEmpty()
                                    ? s.startEpochNanos() < root.startEpochNanos()
                                    : s.parentSpanId().isEmpty()))) {
                root = s;
            }
            start = Math.min(start, s.startEpochNanos());
            end = Math.max(end, s.startEpochNanos() + s.durationNanos());
            errors += s.isError() ? 1 : 0;
            services.add(s.service());
            if (correlation.isEmpty()) {
                correlation = s.correlationId();
            }
        }
        if (root == null) {
            root = trace.get(0);
        }
        return new TraceSummary(
                traceId,
                root.name(),
                root.service(),
                start,
                end - start,
                trace.size(),
                errors,
                List.copyOf(services),
                correlation);
    }

    /** All spans of a trace sorted by start time, or empty. */
    public List<ConsoleSpan> trace(String traceId) {
        List<ConsoleSpan> t = spans.byKey(BY_TRACE, traceId);
        t.sort(Comparator.comparingLong(ConsoleSpan::startEpochNanos));
        return t;
    }

    public TraceSummary traceSummary(String traceId) {
        return summarize(traceId, spans.byKey(BY_TRACE, traceId));
    }

    // ---- logs ----

    /** Filters for {@link #searchLogs}; empty strings mean "any", level is a minimum level. */
    public record LogQuery(
            String minLevel,
            String category,
            String service,
            String text,
            String traceId,
            String correlationId,
            long afterSeq,
            int limit) {}

    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

    static int levelRank(String level) {
        int i = LEVELS.indexOf(level.toUpperCase(Locale.ROOT));
        return i < 0 ? 0 : i;
    }

    /** Newest first, or, when {@code afterSeq > 0} (live tail), oldest first after that sequence. */
    public List<ConsoleLog> searchLogs(LogQuery q) {
        int min = q.minLevel().isEmpty() ? 0 : levelRank(q.minLevel());
        String text = q.text().toLowerCase(Locale.ROOT);
        Predicate<ConsoleLog> f = l -> levelRank(l.severity()) >= min
                && (q.category().isEmpty() || q.category().equalsIgnoreCase(l.category()))
                && (q.service().isEmpty() || q.service().equals(l.service()))
                && (q.traceId().isEmpty() || q.traceId().equals(l.traceId()))
                && (q.correlationId().isEmpty() || q.correlationId().equals(l.correlationId()))
                && (text.isEmpty() || l.body().toLowerCase(Locale.ROOT).contains(text));
        if (q.afterSeq() > 0) {
            return logs.after(q.afterSeq(), f, q.limit());
        }
        if (!q.traceId().isEmpty()) {
            return newestFirst(logs.byKey(BY_TRACE, q.traceId()), f, q.limit());
        }
        if (!q.correlationId().isEmpty()) {
            return newestFirst(logs.byKey(BY_CORRELATION, q.correlationId()), f, q.limit());
        }
        return logs.newest(f, q.limit());
    }

    private static <T> List<T> newestFirst(List<T> oldestFirst, Predicate<T> f, int limit) {
        List<T> out = new ArrayList<>();
        for (int i = oldestFirst.size() - 1; i >= 0 && out.size() < limit; i--) {
            if (f.test(oldestFirst.get(i))) {
                out.add(oldestFirst.get(i));
            }
        }
        return out;
    }

    // ---- correlation ----

    /** Every span and log of one correlation id (logs also joined through the trace ids). */
    public Map<String, Object> correlation(String correlationId, int limit) {
        List<ConsoleSpan> cs = spans.byKey(BY_CORRELATION, correlationId);
        Set<String> traceIds = new LinkedHashSet<>();
        for (ConsoleSpan s : cs) {
            traceIds.add(s.traceId());
        }
        // spans of those traces that lack the attribute (e.g. third-party instrumentation) belong too
        Map<String, ConsoleSpan> allSpans = new LinkedHashMap<>();
        for (String t : traceIds) {
            for (ConsoleSpan s : spans.byKey(BY_TRACE, t)) {
                allSpans.put(s.spanId(), s);
            }
        }
        Map<Long, ConsoleLog> allLogs = new TreeMap<>();
        for (ConsoleLog l : logs.byKey(BY_CORRELATION, correlationId)) {
            allLogs.put(l.seq(), l);
            if (!l.traceId().isEmpty()) {
                traceIds.add(l.traceId());
            }
        }
        for (String t : traceIds) {
            for (ConsoleLog l : logs.byKey(BY_TRACE, t)) {
                allLogs.put(l.seq(), l);
            }
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (ConsoleSpan s : allSpans.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "span");
            m.put("epochNanos", s.startEpochNanos());
            m.put("span", s);
            items.add(m);
        }
        for (ConsoleLog l : allLogs.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "log");
            m.put("epochNanos", l.epochNanos());
            m.put("log", l);
            items.add(m);
        }
        items.sort(Comparator.comparingLong(m -> (Long) m.get("epochNanos")));
        boolean truncated = items.size() > limit;
        List<TraceSummary> traces = new ArrayList<>();
        Set<String> services = new TreeSet<>();
        for (String t : traceIds) {
            TraceSummary sum = traceSummary(t);
            if (sum != null) {
                traces.add(sum);
                services.addAll(sum.services());
            }
        }
        allLogs.values().forEach(l -> services.add(l.service()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("correlationId", correlationId);
        out.put("services", services);
        out.put("traces", traces);
        out.put("spanCount", allSpans.size());
        out.put("logCount", allLogs.size());
        out.put("truncated", truncated);
        out.put("items", truncated ? items.subList(0, limit) : items);
        return out;
    }

    // ---- services / RED ----

    /** RED figures of one service route, computed from received server spans. */
    public record RouteStats(
            String service,
            String route,
            long requests,
            long errors,
            double errorRatio,
            double ratePerSecond,
            double p50Millis,
            double p95Millis,
            double p99Millis) {}

    /**
     * Services seen (in spans, logs or metrics) with RED per route from server spans started in the
     * last {@code windowSeconds} (all stored spans when 0).
     */
    public Map<String, Object> services(long windowSeconds, long nowEpochNanos) {
        long from = windowSeconds <= 0 ? Long.MIN_VALUE : nowEpochNanos - windowSeconds * 1_000_000_000L;
        Map<String, List<long[]>> byRoute = new TreeMap<>(); // key service\u0000route -> [duration, error]
        spans.forEach((s, i) -> {
            if (!"SERVER".equals(s.kind()) || s.startEpochNanos() < from) {
                return;
            }
            String key = s.service() + '\u0000' + s.route();
            byRoute.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new long[] {s.durationNanos(), isServerError(s) ? 1 : 0});
        });
        double seconds = windowSeconds > 0 ? windowSeconds : spanTimeRangeSeconds();
        Map<String, List<RouteStats>> routes = new TreeMap<>();
        for (Map.Entry<String, List<long[]>> e : byRoute.entrySet()) {
            String[] parts = e.getKey().split("\u0000", 2);
            List<long[]> samples = e.getValue();
            long[] durations = new long[samples.size()];
            long errors = 0;
            for (int i = 0; i < durations.length; i++) {
                durations[i] = samples.get(i)[0];
                errors += samples.get(i)[1];
            }
            Arrays.sort(durations);
            routes.computeIfAbsent(parts[0], k -> new ArrayList<>())
                    .add(new RouteStats(
                            parts[0],
                            parts[1],
                            durations.length,
                            errors,
                            (double) errors / durations.length,
                            durations.length / Math.max(1.0, seconds),
                            quantileMillis(durations, 0.50),
                            quantileMillis(durations, 0.95),
                            quantileMillis(durations, 0.99)));
        }
        Set<String> names = new TreeSet<>();
        names.addAll(spans.keys(BY_SERVICE));
        names.addAll(logs.keys(BY_SERVICE));
        names.addAll(metrics.keys(1));
        Map<String, Integer> logCounts = new HashMap<>();
        for (String n : logs.keys(BY_SERVICE)) {
            logCounts.put(n, logs.byKey(BY_SERVICE, n).size());
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (String n : names) {
            List<RouteStats> r = routes.getOrDefault(n, List.of());
            long req = r.stream().mapToLong(RouteStats::requests).sum();
            long err = r.stream().mapToLong(RouteStats::errors).sum();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", n);
            m.put("requests", req);
            m.put("errors", err);
            m.put("errorRatio", req == 0 ? 0.0 : (double) err / req);
            m.put(
                    "ratePerSecond",
                    r.stream().mapToDouble(RouteStats::ratePerSecond).sum());
            m.put("logs", logCounts.getOrDefault(n, 0));
            m.put("routes", r);
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("windowSeconds", windowSeconds);
        out.put("services", list);
        return out;
    }

    private double spanTimeRangeSeconds() {
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        spans.forEach((s, i) -> {
            range[0] = Math.min(range[0], s.startEpochNanos());
            range[1] = Math.max(range[1], s.startEpochNanos());
        });
        return range[0] > range[1] ? 1 : (range[1] - range[0]) / 1e9;
    }

    /** A server error: ERROR status, an HTTP 5xx, or a gRPC status the server is to blame for. */
    static boolean isServerError(ConsoleSpan s) {
        String http = s.attributes().getOrDefault("http.response.status_code", "");
        if (!http.isEmpty()) {
            return http.startsWith("5");
        }
        return s.isError();
    }

    private static double quantileMillis(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    // ---- metrics ----

    /** Latest point of every series whose name contains {@code nameFilter} (and of the service). */
    public List<ConsoleMetricPoint> latestSeries(String nameFilter, String service, int limit) {
        List<ConsoleMetricPoint> out = new ArrayList<>();
        for (String key : metrics.keys(BY_SERIES)) {
            List<ConsoleMetricPoint> series = metrics.byKey(BY_SERIES, key);
            if (series.isEmpty()) {
                continue;
            }
            ConsoleMetricPoint p = series.get(series.size() - 1);
            if ((nameFilter.isEmpty() || p.name().contains(nameFilter))
                    && (service.isEmpty() || service.equals(p.service()))) {
                out.add(withRecentExemplars(p, series));
            }
        }
        out.sort(Comparator.comparing(ConsoleMetricPoint::name)
                .thenComparing(ConsoleMetricPoint::service)
                .thenComparing(p -> p.attributes().toString()));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /**
     * SDKs attach exemplars only to the collection interval that sampled them, so the latest point
     * of a quiet series often has none: show the most recent exemplars the series still holds.
     */
    private static ConsoleMetricPoint withRecentExemplars(ConsoleMetricPoint latest, List<ConsoleMetricPoint> series) {
        if (!latest.exemplars().isEmpty()) {
            return latest;
        }
        for (int i = series.size() - 2; i >= 0; i--) {
            List<ConsoleMetricPoint.Exemplar> ex = series.get(i).exemplars();
            if (!ex.isEmpty()) {
                return new ConsoleMetricPoint(
                        latest.seq(),
                        latest.name(),
                        latest.service(),
                        latest.type(),
                        latest.unit(),
                        latest.epochNanos(),
                        latest.attributes(),
                        latest.value(),
                        latest.count(),
                        latest.sum(),
                        latest.bounds(),
                        latest.bucketCounts(),
                        ex);
            }
        }
        return latest;
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spans", storeStats(spans, spans.keyCount(BY_TRACE), "traces"));
        m.put("logs", storeStats(logs, logs.keyCount(BY_CORRELATION), "correlationIds"));
        m.put("metricPoints", storeStats(metrics, metrics.keyCount(BY_SERIES), "series"));
        return m;
    }

    private static Map<String, Object> storeStats(BoundedStore<?> s, int keys, String keyName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.size());
        m.put("capacity", s.capacity());
        m.put("bytes", s.bytes());
        m.put("maxBytes", s.maxBytes());
        m.put("evicted", s.evicted());
        m.put(keyName, keys);
        return m;
    }
}
