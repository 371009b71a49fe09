package io.marty.observability.console.internal;

import io.marty.observability.console.ConsoleAlert;
import io.marty.observability.console.ConsoleMetricPoint;
import io.marty.observability.console.ConsolePanels.AlertSource;
import io.marty.observability.console.ConsolePanels.SloSource;
import io.marty.observability.console.ConsoleSloStatus;
import io.marty.observability.console.ConsoleSpan;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's read-only JSON API under {@code /api/}.
 *
 * <ul>
 *   <li>{@code GET /api/services?window=300} services with RED per route
 *   <li>{@code GET /api/traces?service=&minDurationMs=&status=error|ok&correlationId=&limit=}
 *   <li>{@code GET /api/traces/{traceId}} spans of one trace
 *   <li>{@code GET /api/logs?level=&category=&service=&q=&traceId=&correlationId=&after=&limit=}
 *   <li>{@code GET /api/correlations/{id}} spans and logs of one correlation id on one timeline
 *   <li>{@code GET /api/metrics?name=&service=&limit=} latest point of each series
 *   <li>{@code GET /api/charts/service?service=&route=&window=900} rate, errors, p50/p95/p99 over time
 *   <li>{@code GET /api/charts/metric?key=&window=900} one metric series over time
 *   <li>{@code GET /api/charts/logs?(log filters)&window=900} log volume per level over time
 *   <li>{@code GET /api/charts/alerts} firing and resolved alert intervals
 *   <li>{@code GET /api/servicemap?window=900} services, databases, brokers and the calls between them
 *   <li>{@code GET /api/traces?edgeFrom=&edgeTo=} the recent traces behind a service-map edge
 *   <li>{@code GET /api/business?window=900} business health, components, revenue, conversion, anomalies
 *   <li>{@code GET /api/slos}, {@code GET /api/alerts}, {@code GET /api/stats}
 * </ul>
 */
final class ApiHandler implements ConsoleHandler.Route {
    private static final int MAX_LIMIT = 5000;

    private final TelemetryStore store;
    private final byte[] token;
    private final SloSource sloSource;
    private final AlertSource alertSource;
    private final OtlpReceiver.ReceiverStats receiverStats;
    private final PanelHistory history;

    ApiHandler(
            TelemetryStore store,
            byte[] token,
            SloSource sloSource,
            AlertSource alertSource,
            OtlpReceiver.ReceiverStats receiverStats,
            PanelHistory history) {
        this.history = history;
        this.store = store;
        this.token = token;
        this.sloSource = sloSource;
        this.alertSource = alertSource;
        this.receiverStats = receiverStats;
    }

    @Override
    public void handle(Exchange ex) throws IOException {
        if (!HttpSupport.authorized(ex, token)) {
            HttpSupport.sendText(ex, 401, "missing or wrong access token");
            return;
        }
        if (!"GET".equals(ex.method())) {
            ex.setHeader("Allow", "GET");
            HttpSupport.sendText(ex, 405, "the console API is read-only: use GET");
            return;
        }
        try {
            Object body = route(ex.path(), HttpSupport.query(ex));
            if (body == null) {
                HttpSupport.sendText(ex, 404, "not found: " + ex.path());
            } else {
                HttpSupport.sendJson(ex, 200, body);
            }
        } catch (HttpSupport.HttpError e) {
            HttpSupport.sendText(ex, e.status, e.getMessage());
        } catch (RuntimeException e) {
            HttpSupport.sendText(ex, 500, "console API error: " + e);
        }
    }

    private Object route(String path, Map<String, String> q) {
        String[] parts = path.substring("/api/".length()).split("/", -1);
        String resource = parts[0];
        String id = parts.length > 1 ? parts[1] : "";
        switch (resource) {
            case "services":
                return store.services(
                        HttpSupport.intParam(q, "window", 300, 86_400), System.currentTimeMillis() * 1_000_000L);
            case "traces":
                if (!id.isEmpty()) {
                    return trace(id);
                }
                if (q.containsKey("edgeFrom")) {
                    return Map.of(
                            "traces",
                            store.edgeTraces(
                                    q.get("edgeFrom"),
                                    q.getOrDefault("edgeTo", ""),
                                    HttpSupport.intParam(q, "limit", 100, MAX_LIMIT)));
                }
                return Map.of(
                        "traces",
                        store.searchTraces(new TelemetryStore.TraceQuery(
                                q.getOrDefault("service", ""),
                                (long) (HttpSupport.doubleParam(q, "minDurationMs") * 1_000_000),
                                q.getOrDefault("status", ""),
                                q.getOrDefault("correlationId", ""),
                                HttpSupport.intParam(q, "limit", 100, MAX_LIMIT))));
            case "logs":
                List<?> logs = store.searchLogs(logQuery(q, HttpSupport.intParam(q, "limit", 200, MAX_LIMIT)));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("logs", logs);
                m.put("lastSeq", store.logs().lastSeq());
                return m;
            case "correlations":
                if (id.isEmpty()) {
                    throw new HttpSupport.HttpError(400, "give a correlation id: /api/correlations/{id}");
                }
                return store.correlation(id, HttpSupport.intParam(q, "limit", 2000, MAX_LIMIT));
            case "metrics":
                List<Map<String, Object>> series = new java.util.ArrayList<>();
                for (ConsoleMetricPoint p : store.latestSeries(
                        q.getOrDefault("name", ""),
                        q.getOrDefault("service", ""),
                        HttpSupport.intParam(q, "limit", 500, MAX_LIMIT))) {
                    Map<String, Object> row = HttpSupport.JSON.convertValue(p, MAP);
                    row.put("seriesKey", p.seriesKey());
                    series.add(row);
                }
                return Map.of("series", series);
            case "charts":
                return chart(id, q);
            case "servicemap":
                return store.serviceMap(chartWindow(q), now());
            case "business":
                return BusinessView.build(store, chartWindow(q), now());
            case "slos":
                return slos();
            case "alerts":
                return alerts();
            case "stats":
                Map<String, Object> s = new LinkedHashMap<>(store.stats());
                s.put("receiver", receiverStats.snapshot());
                return s;
            default:
                return null;
        }
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    private static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    /** Chart window in seconds: 60 s to one hour (what the rollups hold), default 15 minutes. */
    private static long chartWindow(Map<String, String> q) {
        return Math.max(60, HttpSupport.intParam(q, "window", 900, 3600));
    }

    private Object chart(String kind, Map<String, String> q) {
        long window = chartWindow(q);
        switch (kind) {
            case "service":
                return store.serviceSeries(q.getOrDefault("service", ""), q.getOrDefault("route", ""), window, now());
            case "metric":
                Map<String, Object> m = store.metricSeries(q.getOrDefault("key", ""), window, now());
                if (m == null) {
                    throw new HttpSupport.HttpError(
                            404, "metric series not stored: " + clip(q.getOrDefault("key", "")));
                }
                return m;
            case "logs":
                return store.logVolume(logQuery(q, 0), window, now());
            case "alerts":
                history.sample(System.currentTimeMillis());
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("enabled", alertSource != null);
                a.put("now", System.currentTimeMillis());
                a.put("intervals", history.alertIntervals());
                return a;
            default:
                return null;
        }
    }

    private Object trace(String traceId) {
        List<ConsoleSpan> spans = store.trace(traceId);
        if (spans.isEmpty()) {
            throw new HttpSupport.HttpError(404, "trace not found (evicted or never received): " + clip(traceId));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", store.traceSummary(traceId));
        m.put("spans", spans);
        return m;
    }

    private static TelemetryStore.LogQuery logQuery(Map<String, String> q, int limit) {
        return new TelemetryStore.LogQuery(
                q.getOrDefault("level", ""),
                q.getOrDefault("category", ""),
                q.getOrDefault("service", ""),
                q.getOrDefault("q", ""),
                q.getOrDefault("traceId", ""),
                q.getOrDefault("correlationId", ""),
                HttpSupport.longParam(q, "after"),
                HttpSupport.longParam(q, "fromMs") * 1_000_000L,
                HttpSupport.longParam(q, "toMs") * 1_000_000L,
                limit);
    }

    private Object slos() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", sloSource != null);
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        if (sloSource != null) {
            history.sample(System.currentTimeMillis());
            try {
                for (ConsoleSloStatus st : sloSource.sloStatuses()) {
                    list.add(PanelHistory.view(st));
                }
            } catch (RuntimeException e) {
                m.put("error", "SLO source failed: " + e);
            }
            m.put("history", history.sloHistory());
        }
        m.put("slos", list);
        return m;
    }

    private Object alerts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", alertSource != null);
        List<ConsoleAlert> list = List.of();
        if (alertSource != null) {
            try {
                list = alertSource.alerts();
            } catch (RuntimeException e) {
                m.put("error", "alert source failed: " + e);
            }
        }
        m.put("alerts", list);
        return m;
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
