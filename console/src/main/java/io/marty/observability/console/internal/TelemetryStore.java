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
    /** Routes, and service-map edges, charted at most (each costs up to ~80 KB of slots). */
    static final int MAX_CHART_KEYS = 128;
    /** Spans of a trace looked at to pair a client span with its server span. */
    private static final int MAX_PAIR_SCAN = 2000;

    private final BoundedStore<ConsoleSpan> spans;
    private final BoundedStore<ConsoleLog> logs;
    private final BoundedStore<ConsoleMetricPoint> metrics;
    private final AtomicLong seriesKeysBuilt = new AtomicLong();
    /** Server-span RED per {@code service\u0000route} in time slots (the Services charts). */
    private final TimeRollup routes = new TimeRollup(MAX_CHART_KEYS);
    /** Calls per {@code from\u0000to} service-map edge in time slots. */
    private final TimeRollup edges = new TimeRollup(MAX_CHART_KEYS);
    /** Log records per {@code service\u0000level} in time slots (the Logs volume chart). */
    private final TimeRollup logVolume = new TimeRollup(MAX_CHART_KEYS);
    /** Kind of each service-map node that is not a service ({@code database}, {@code broker}); bounded. */
    private final Map<String, String> peerKinds = new java.util.concurrent.ConcurrentHashMap<>();

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
        List<ConsoleSpan> stored = spans.addAll(s);
        long now = System.currentTimeMillis() * 1_000_000L;
        for (ConsoleSpan span : stored) {
            chart(span, now);
        }
        return stored;
    }

    // ---- chart rollups and the service map ----

    private static boolean isKind(ConsoleSpan s, String a, String b) {
        return a.equals(s.kind()) || b.equals(s.kind());
    }

    /**
     * Adds a stored span to the rollups: server spans to its route's RED slots; calls to a database
     * or broker, and client/server or producer/consumer pairs across services, to the service map.
     * A pair is counted by whichever of its spans arrives last, so exactly once.
     */
    private void chart(ConsoleSpan s, long now) {
        if ("SERVER".equals(s.kind())) {
            routes.add(
                    s.service() + '\u0000' + s.route(),
                    s.startEpochNanos(),
                    s.durationNanos(),
                    isServerError(s),
                    s.traceId(),
                    now);
        }
        String peer = peerNode(s);
        if (peer != null) {
            if (peerKinds.size() < 2 * MAX_CHART_KEYS) {
                peerKinds.putIfAbsent(
                        peer, "CONSUMER".equals(s.kind()) || "PRODUCER".equals(s.kind()) ? "broker" : "database");
            }
            boolean inbound = "CONSUMER".equals(s.kind());
            edges.add(
                    inbound ? peer + '\u0000' + s.service() : s.service() + '\u0000' + peer,
                    s.startEpochNanos(),
                    s.durationNanos(),
                    s.isError(),
                    s.traceId(),
                    now);
            return;
        }
        if (isKind(s, "CLIENT", "PRODUCER")) {
            ConsoleSpan server = spans.findByKey(
                    BY_TRACE,
                    s.traceId(),
                    c -> c.seq() < s.seq()
                            && s.spanId().equals(c.parentSpanId())
                            && isKind(c, "SERVER", "CONSUMER")
                            && !c.service().equals(s.service())
                            && peerNode(c) == null,
                    MAX_PAIR_SCAN);
            if (server != null) {
                pair(s, server, now);
            }
        } else if (isKind(s, "SERVER", "CONSUMER") && !s.parentSpanId().isEmpty()) {
            ConsoleSpan client = spans.findByKey(
                    BY_TRACE,
                    s.traceId(),
                    c -> c.seq() < s.seq()
                            && c.spanId().equals(s.parentSpanId())
                            && isKind(c, "CLIENT", "PRODUCER")
                            && !c.service().equals(s.service())
                            && peerNode(c) == null,
                    MAX_PAIR_SCAN);
            if (client != null) {
                pair(client, s, now);
            }
        }
    }

    /** An edge call as the caller saw it: its start and duration, failed when either side failed. */
    private void pair(ConsoleSpan client, ConsoleSpan server, long now) {
        edges.add(
                client.service() + '\u0000' + server.service(),
                client.startEpochNanos(),
                client.durationNanos(),
                client.isError() || isServerError(server),
                client.traceId(),
                now);
    }

    /**
     * The database or broker a span talks to, keyed on {@code db.system.name} (or the older
     * {@code db.system}) / {@code messaging.system} plus {@code server.address}; null for other spans.
     */
    static String peerNode(ConsoleSpan s) {
        Map<String, String> a = s.attributes();
        String system = "";
        if ("CLIENT".equals(s.kind())) {
            system = a.getOrDefault("db.system.name", a.getOrDefault("db.system", ""));
        }
        if (system.isEmpty() && isKind(s, "PRODUCER", "CONSUMER")) {
            system = a.getOrDefault("messaging.system", "");
        }
        if (system.isEmpty()) {
            return null;
        }
        String address = a.getOrDefault("server.address", "");
        return address.isEmpty() ? system : system + '@' + address;
    }

    /** Step of a chart over {@code windowSeconds}: one slot up to 15 minutes, else ~120 points. */
    static int stepSlots(long windowSeconds) {
        long slots = Math.max(1, windowSeconds * 1_000_000_000L / TimeRollup.SLOT_NANOS);
        return (int) Math.max(1, (slots + 119) / 120);
    }

    /** Rate, error ratio and p50/p95/p99 over time of a service (all routes, or one). */
    public Map<String, Object> serviceSeries(String service, String route, long windowSeconds, long nowNanos) {
        List<String> keys = new ArrayList<>();
        List<String> routeNames = new ArrayList<>();
        for (String k : routes.keys()) {
            int sep = k.indexOf('\u0000');
            if (k.substring(0, sep).equals(service)) {
                routeNames.add(k.substring(sep + 1));
                if (route.isEmpty() || k.substring(sep + 1).equals(route)) {
                    keys.add(k);
                }
            }
        }
        routeNames.sort(null);
        long from = nowNanos - windowSeconds * 1_000_000_000L;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", service);
        m.put("route", route);
        m.put("windowSeconds", windowSeconds);
        m.put("routes", routeNames);
        m.putAll(routes.series(keys, from, nowNanos, stepSlots(windowSeconds)));
        return m;
    }

    /** Calls per 30 s over the last 15 minutes of one route (a table sparkline). */
    private List<Long> sparkline(String service, String route, long nowNanos) {
        return routes.counts(service + '\u0000' + route, nowNanos - 900_000_000_000L, nowNanos, 3);
    }

    /**
     * The service map over the last {@code windowSeconds}: nodes (services, databases, brokers) and
     * edges with call rate, error ratio and p95 of the caller-side duration.
     */
    public Map<String, Object> serviceMap(long windowSeconds, long nowNanos) {
        long from = nowNanos - windowSeconds * 1_000_000_000L;
        Map<String, String> nodes = new TreeMap<>();
        List<Map<String, Object>> edgeList = new ArrayList<>();
        for (String k : edges.keys()) {
            TimeRollup.Totals t = edges.totals(k, from, nowNanos);
            if (t.calls() == 0) {
                continue;
            }
            String[] ft = k.split("\u0000", 2);
            nodes.put(ft[0], peerKinds.getOrDefault(ft[0], "service"));
            nodes.put(ft[1], peerKinds.getOrDefault(ft[1], "service"));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("from", ft[0]);
            e.put("to", ft[1]);
            e.put("calls", t.calls());
            e.put("ratePerSecond", t.calls() / (double) windowSeconds);
            e.put("errorRatio", (double) t.errors() / t.calls());
            e.put("p95Millis", t.p95Millis());
            edgeList.add(e);
        }
        for (String n : spans.keys(BY_SERVICE)) {
            nodes.putIfAbsent(n, "service");
        }
        edgeList.sort(Comparator.comparing((Map<String, Object> e) -> (String) e.get("from"))
                .thenComparing(e -> (String) e.get("to")));
        List<Map<String, Object>> nodeList = new ArrayList<>();
        nodes.forEach((name, kind) -> nodeList.add(Map.of("name", name, "kind", kind)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("windowSeconds", windowSeconds);
        m.put("nodes", nodeList);
        m.put("edges", edgeList);
        return m;
    }

    /** The most recent traces (still stored) behind a service-map edge, newest first. */
    public List<TraceSummary> edgeTraces(String from, String to, int limit) {
        List<TraceSummary> out = new ArrayList<>();
        for (String traceId : edges.recentTraces(from + '\u0000' + to)) {
            TraceSummary t = traceSummary(traceId);
            if (t != null && out.size() < limit) {
                out.add(t);
            }
        }
        return out;
    }

    /** Chart rollup sizes, for {@code /api/stats}. */
    Map<String, Object> rollupStats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("routes", routes.keyCount());
        m.put("edges", edges.keyCount());
        m.put("droppedKeys", routes.droppedKeys() + edges.droppedKeys());
        return m;
    }

    public List<ConsoleLog> addLogs(List<ConsoleLog> l) {
        List<ConsoleLog> stored = logs.addAll(l);
        long now = System.currentTimeMillis() * 1_000_000L;
        for (ConsoleLog log : stored) {
            logVolume.add(log.service() + '\u0000' + log.severity(), log.epochNanos(), 0, false, "", now);
        }
        return stored;
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
            long fromNanos,
            long toNanos,
            int limit) {
        /** True when only the level and service filter, which the log-volume rollup answers. */
        boolean rollupOnly() {
            return category.isEmpty() && text.isEmpty() && traceId.isEmpty() && correlationId.isEmpty();
        }
    }

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
                && (q.fromNanos() == 0 || l.epochNanos() >= q.fromNanos())
                && (q.toNanos() == 0 || l.epochNanos() < q.toNanos())
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

    /**
     * Log records per level in time steps over the last {@code windowSeconds} matching the filters
     * of {@code q} (its time range aside): from the per-service-and-level rollup when only level and
     * service filter, else by scanning the bounded log store.
     */
    public Map<String, Object> logVolume(LogQuery q, long windowSeconds, long nowNanos) {
        int step = stepSlots(windowSeconds);
        long from = nowNanos - windowSeconds * 1_000_000_000L;
        long firstSlot = TimeRollup.slotOf(from);
        int steps = (int) ((TimeRollup.slotOf(nowNanos) - firstSlot) / step + 1);
        int min = q.minLevel().isEmpty() ? 0 : levelRank(q.minLevel());
        Map<String, long[]> byLevel = new LinkedHashMap<>();
        for (String level : LEVELS) {
            if (levelRank(level) >= min) {
                byLevel.put(level, new long[steps]);
            }
        }
        if (q.rollupOnly()) {
            for (String key : logVolume.keys()) {
                int sep = key.indexOf('\u0000');
                long[] counts = byLevel.get(key.substring(sep + 1));
                if (counts == null || (!q.service().isEmpty() && !q.service().equals(key.substring(0, sep)))) {
                    continue;
                }
                List<Long> c = logVolume.counts(key, from, nowNanos, step);
                for (int i = 0; i < steps && i < c.size(); i++) {
                    counts[i] += c.get(i);
                }
            }
        } else {
            LogQuery all = new LogQuery(
                    q.minLevel(),
                    q.category(),
                    q.service(),
                    q.text(),
                    q.traceId(),
                    q.correlationId(),
                    0,
                    0,
                    0,
                    Integer.MAX_VALUE);
            String text = all.text().toLowerCase(Locale.ROOT);
            logs.forEach((l, i) -> {
                long[] counts = byLevel.get(l.severity());
                long slot = TimeRollup.slotOf(l.epochNanos());
                if (counts == null
                        || slot < firstSlot
                        || l.epochNanos() > nowNanos
                        || (!all.category().isEmpty() && !all.category().equalsIgnoreCase(l.category()))
                        || (!all.service().isEmpty() && !all.service().equals(l.service()))
                        || (!all.traceId().isEmpty() && !all.traceId().equals(l.traceId()))
                        || (!all.correlationId().isEmpty()
                                && !all.correlationId().equals(l.correlationId()))
                        || (!text.isEmpty()
                                && !l.body().toLowerCase(Locale.ROOT).contains(text))) {
                    return;
                }
                counts[(int) ((slot - firstSlot) / step)]++;
            });
        }
        List<Long> t = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            t.add((firstSlot + (long) i * step) * (TimeRollup.SLOT_NANOS / 1_000_000_000L));
        }
        Map<String, Object> levels = new LinkedHashMap<>();
        byLevel.forEach((level, c) -> levels.put(level, Arrays.stream(c).boxed().toList()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepSeconds", step * (TimeRollup.SLOT_NANOS / 1e9));
        m.put("t", t);
        m.put("levels", levels);
        m.put("fromRollup", q.rollupOnly());
        return m;
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
            double p99Millis,
            List<Long> spark) {}

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
                            quantileMillis(durations, 0.99),
                            sparkline(parts[0], parts[1], nowEpochNanos)));
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

    /** Points drawn per metric chart at most; longer series are thinned evenly. */
    private static final int MAX_CHART_POINTS = 400;

    /**
     * One series over the last {@code windowSeconds}, read through the series index: gauges as values,
     * sums as a rate per second between points (cumulative, a drop is a reset), histograms as
     * p50/p95/p99 and per-bucket counts between points (a heatmap), plus its exemplars. Null when the
     * series is not stored.
     */
    public Map<String, Object> metricSeries(String seriesKey, long windowSeconds, long nowNanos) {
        List<ConsoleMetricPoint> all = metrics.byKey(BY_SERIES, seriesKey);
        if (all.isEmpty()) {
            return null;
        }
        long from = nowNanos - windowSeconds * 1_000_000_000L;
        List<ConsoleMetricPoint> pts = new ArrayList<>();
        for (ConsoleMetricPoint p : all) {
            if (p.epochNanos() >= from) {
                pts.add(p);
            }
        }
        pts.sort(Comparator.comparingLong(ConsoleMetricPoint::epochNanos));
        ConsoleMetricPoint last = all.get(all.size() - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seriesKey", seriesKey);
        m.put("name", last.name());
        m.put("service", last.service());
        m.put("type", last.type());
        m.put("unit", last.unit());
        m.put("attributes", last.attributes());
        List<Double> t = new ArrayList<>();
        List<Object> exemplars = new ArrayList<>();
        for (ConsoleMetricPoint p : pts) {
            for (ConsoleMetricPoint.Exemplar e : p.exemplars()) {
                if (!e.traceId().isEmpty() && exemplars.size() < MAX_CHART_POINTS) {
                    exemplars.add(Map.of(
                            "t",
                            e.epochNanos() / 1e9,
                            "value",
                            e.value(),
                            "traceId",
                            e.traceId(),
                            "spanId",
                            e.spanId()));
                }
            }
        }
        m.put("exemplars", exemplars);
        int stride = Math.max(1, (pts.size() + MAX_CHART_POINTS - 1) / MAX_CHART_POINTS);
        switch (last.type()) {
            case "sum" -> {
                List<Double> rate = new ArrayList<>();
                for (int i = stride; i < pts.size(); i += stride) {
                    ConsoleMetricPoint a = pts.get(i - stride);
                    ConsoleMetricPoint b = pts.get(i);
                    double dt = (b.epochNanos() - a.epochNanos()) / 1e9;
                    double dv = b.value() >= a.value() ? b.value() - a.value() : b.value();
                    t.add(b.epochNanos() / 1e9);
                    rate.add(dt > 0 ? dv / dt : null);
                }
                m.put("rate", rate);
            }
            case "histogram" -> histogramSeries(pts, stride, t, m);
            default -> {
                List<Double> values = new ArrayList<>();
                for (int i = 0; i < pts.size(); i += stride) {
                    t.add(pts.get(i).epochNanos() / 1e9);
                    values.add(pts.get(i).value());
                }
                m.put("values", values);
            }
        }
        m.put("t", t);
        return m;
    }

    /** Percentiles and bucket counts of each interval between cumulative histogram points. */
    private static void histogramSeries(
            List<ConsoleMetricPoint> pts, int stride, List<Double> t, Map<String, Object> m) {
        List<Double> bounds =
                pts.isEmpty() ? List.of() : pts.get(pts.size() - 1).bounds();
        List<Double> p50 = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<List<Long>> heat = new ArrayList<>();
        for (int i = stride; i < pts.size(); i += stride) {
            ConsoleMetricPoint a = pts.get(i - stride);
            ConsoleMetricPoint b = pts.get(i);
            if (!b.bounds().equals(bounds) || b.bucketCounts().size() != bounds.size() + 1) {
                continue; // bounds changed: not comparable with the newest layout
            }
            boolean reset = b.count() < a.count() || !a.bounds().equals(bounds);
            long[] d = new long[bounds.size() + 1];
            long total = 0;
            for (int k = 0; k < d.length; k++) {
                long before = reset ? 0 : a.bucketCounts().get(k);
                d[k] = Math.max(0, b.bucketCounts().get(k) - before);
                total += d[k];
            }
            t.add(b.epochNanos() / 1e9);
            List<Long> row = new ArrayList<>(d.length);
            for (long c : d) {
                row.add(c);
            }
            heat.add(row);
            p50.add(total == 0 ? null : bucketQuantile(bounds, d, total, 0.50));
            p95.add(total == 0 ? null : bucketQuantile(bounds, d, total, 0.95));
            p99.add(total == 0 ? null : bucketQuantile(bounds, d, total, 0.99));
        }
        m.put("bounds", bounds);
        m.put("p50", p50);
        m.put("p95", p95);
        m.put("p99", p99);
        m.put("buckets", heat);
    }

    /** Quantile from explicit buckets, linear within the bucket (as PromQL's histogram_quantile). */
    static double bucketQuantile(List<Double> bounds, long[] counts, long total, double q) {
        double rank = q * total;
        long seen = 0;
        for (int k = 0; k < counts.length; k++) {
            if (seen + counts[k] >= rank && counts[k] > 0) {
                if (k == bounds.size()) {
                    return bounds.isEmpty() ? 0 : bounds.get(bounds.size() - 1);
                }
                double lo = k == 0 ? Math.min(0, bounds.get(0)) : bounds.get(k - 1);
                double hi = bounds.get(k);
                return lo + (hi - lo) * (rank - seen) / counts[k];
            }
            seen += counts[k];
        }
        return bounds.isEmpty() ? 0 : bounds.get(bounds.size() - 1);
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spans", storeStats(spans, spans.keyCount(BY_TRACE), "traces"));
        m.put("logs", storeStats(logs, logs.keyCount(BY_CORRELATION), "correlationIds"));
        m.put("metricPoints", storeStats(metrics, metrics.keyCount(BY_SERIES), "series"));
        m.put("charts", rollupStats());
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
