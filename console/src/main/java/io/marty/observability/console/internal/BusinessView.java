package io.marty.observability.console.internal;

import io.marty.observability.console.ConsoleLog;
import io.marty.observability.console.ConsoleMetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Business view's data, built from what the console receives: the {@code mmf_business_*} metrics
 * the business module exports (health score, per-component sub-scores, revenue and conversion over
 * time) and the anomaly alerts its log notifier writes on the {@code io.marty.observability.alerts}
 * logger. Series are found through the series index (no scan of the points); alerts by a bounded
 * newest-first scan of the log store.
 */
final class BusinessView {
    static final String PREFIX = "mmf_business_";
    static final String ALERT_LOGGER = "io.marty.observability.alerts";
    /** Anomaly alerts returned at most. */
    static final int MAX_ANOMALIES = 50;
    /** Series of each kind charted at most. */
    static final int MAX_SERIES = 20;

    // "alert revenue_anomaly [critical] service=shop: revenue (EUR minor units per second) drop: 12.3
    // against a seasonal median of 45.6 (...)", as the log alert notifier writes it (cli's
    // ConsoleBusinessAnomalyTest feeds the real line through the console)
    private static final Pattern ANOMALY = Pattern.compile(
            "alert (\\S+) \\[(\\w+)] service=(\\S*): (.*?) (drop|spike): ([-+0-9.eE]+) against a seasonal median of ([-+0-9.eE]+)");

    private static final String COMPONENT = "mmf_business_health_component_";
    /** Per-component gauge suffix to the field it fills. */
    private static final Map<String, String> COMPONENT_FIELDS =
            Map.of("score", "subScore", "input", "input", "baseline", "baseline", "weight", "weight");

    private BusinessView() {}

    private static Map<String, Object> newComponent(String service, String component) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("service", service);
        c.put("component", component);
        for (String f : List.of("subScore", "input", "baseline", "weight")) {
            c.put(f, null);
        }
        return c;
    }

    static Map<String, Object> build(TelemetryStore store, long windowSeconds, long nowNanos) {
        List<Map<String, Object>> health = new ArrayList<>();
        Map<String, Map<String, Object>> components = new java.util.TreeMap<>();
        List<Map<String, Object>> revenue = new ArrayList<>();
        List<Map<String, Object>> orders = new ArrayList<>();
        List<Map<String, Object>> conversion = new ArrayList<>();
        BoundedStore<ConsoleMetricPoint> metrics = store.metrics();
        for (String key : metrics.keys(TelemetryStore.BY_SERIES)) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            List<ConsoleMetricPoint> series = metrics.byKey(TelemetryStore.BY_SERIES, key);
            if (series.isEmpty()) {
                continue;
            }
            ConsoleMetricPoint last = series.get(series.size() - 1);
            String name = last.name();
            if (name.startsWith(COMPONENT)) {
                String field = COMPONENT_FIELDS.get(name.substring(COMPONENT.length()));
                if (field != null) {
                    String component = last.attributes().getOrDefault("component", "");
                    Map<String, Object> c = components.computeIfAbsent(
                            last.service() + '\u0000' + component, k -> newComponent(last.service(), component));
                    c.put(field, finite(last.value()));
                }
            } else if (name.startsWith("mmf_business_health_score")) {
                addSeries(health, store, key, windowSeconds, nowNanos, last);
            } else if (name.startsWith("mmf_business_revenue")) {
                addSeries(revenue, store, key, windowSeconds, nowNanos, last);
            } else if (name.startsWith("mmf_business_orders")) {
                addSeries(orders, store, key, windowSeconds, nowNanos, last);
            } else if (name.startsWith("mmf_business_funnel_conversion")) {
                addSeries(conversion, store, key, windowSeconds, nowNanos, last);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("health", health);
        m.put("components", new ArrayList<>(components.values()));
        m.put("revenue", revenue);
        m.put("orders", orders);
        m.put("conversion", conversion);
        m.put("anomalies", anomalies(store));
        return m;
    }

    private static void addSeries(
            List<Map<String, Object>> out,
            TelemetryStore store,
            String key,
            long windowSeconds,
            long nowNanos,
            ConsoleMetricPoint last) {
        if (out.size() >= MAX_SERIES) {
            return;
        }
        Map<String, Object> s = store.metricSeries(key, windowSeconds, nowNanos);
        if (s != null) {
            s.put("latest", finite(last.value()));
            s.put("latestEpochNanos", last.epochNanos());
            s.remove("exemplars");
            out.add(s);
        }
    }

    /** NaN (a missing component) and infinities are not JSON numbers: null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Map<String, Object>> anomalies(TelemetryStore store) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConsoleLog l : store.logs()
                .newest(
                        l -> (ALERT_LOGGER.equals(l.logger()) || ALERT_LOGGER.equals(l.category()))
                                && ANOMALY.matcher(l.body()).find(),
                        MAX_ANOMALIES)) {
            Matcher x = ANOMALY.matcher(l.body());
            if (!x.find()) {
                continue;
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("epochNanos", l.epochNanos());
            a.put("rule", x.group(1));
            a.put("severity", x.group(2));
            a.put("service", x.group(3).isEmpty() ? l.service() : x.group(3));
            a.put("series", x.group(4));
            a.put("direction", x.group(5));
            a.put("observed", parse(x.group(6)));
            a.put("expected", parse(x.group(7)));
            a.put("message", l.body());
            out.add(a);
        }
        return out;
    }

    private static Double parse(String s) {
        try {
            return finite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
