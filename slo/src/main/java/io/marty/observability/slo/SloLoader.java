package io.marty.observability.slo;

import io.marty.observability.slo.internal.Durations;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads SLOs from YAML: OpenSLO v1 documents ({@code apiVersion: openslo/v1}, {@code kind: SLO} with an
 * inline {@code indicator} or an {@code indicatorRef} to a {@code kind: SLI} in the same file) and the
 * concise native form (see {@code docs/slo.md}):
 *
 * <pre>{@code
 * service: checkout
 * slos:
 *   - availability 99.9% over 30d
 *   - latency p95 < 500ms over 7d
 *   - name: orders-latency
 *     slo: latency < 250ms for 99% over 28d
 *     route: /orders/{id}
 *     priority: critical
 * }</pre>
 *
 * <p>Errors are {@link SloSpecException}s naming the file, line and field.
 *
 * <pre>{@code
 * List<Slo> slos = SloLoader.load(Path.of("deploy/slo/checkout.yaml"));
 * }</pre>
 */
public final class SloLoader {
    private static final Pattern EXPR = Pattern.compile(
            "(?<type>[a-z_-]+):?\\s+"
                    + "(?:p(?<pq>\\d+(?:\\.\\d+)?)\\s*<\\s*(?<pth>\\d+(?:\\.\\d+)?\\s*(?:ms|s))"
                    + "|<\\s*(?<th>\\d+(?:\\.\\d+)?\\s*(?:ms|s))\\s+for\\s+(?<tp>-?\\d+(?:\\.\\d+)?)\\s*%"
                    + "|(?<t>-?\\d+(?:\\.\\d+)?)\\s*%)"
                    + "\\s+over\\s+(?<win>calendar\\s+month|calendar\\s+week|\\S+)"
                    + "(?:\\s+on\\s+(?:service\\s+)?(?<svc>\\S+))?",
            Pattern.CASE_INSENSITIVE);

    private SloLoader() {}

    /** Loads every SLO in a file (one or more YAML documents). */
    public static List<Slo> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SloSpecException(file.toString(), 0, null, "cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Loads SLOs from several files; ids must be unique across them. */
    public static List<Slo> load(List<Path> files) {
        List<Slo> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path f : files) {
            for (Slo s : load(f)) {
                if (!ids.add(s.id())) {
                    throw new SloSpecException(f.toString(), 0, "name", "duplicate SLO '" + s.id() + "'", null);
                }
                out.add(s);
            }
        }
        return out;
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public static List<Slo> parse(String yaml, String source) {
        List<Node> docs = new ArrayList<>();
        try {
            for (Node n : new Yaml(new LoaderOptions()).composeAll(new StringReader(yaml))) {
                if (n != null) {
                    docs.add(n);
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new SloSpecException(source, line, null, "invalid YAML: " + e.getProblem(), e);
        } catch (RuntimeException e) {
            throw new SloSpecException(source, 0, null, "invalid YAML: " + e.getMessage(), e);
        }
        Ctx ctx = new Ctx(source);
        // SLI documents first, so indicatorRef can point forward.
        for (Node d : docs) {
            Map<String, Node> m = ctx.map(d, "document");
            if (isOpenSlo(m) && "SLI".equals(ctx.str(m, "kind"))) {
                Map<String, Node> meta = ctx.map(ctx.req(m, "metadata", d), "metadata");
                ctx.slis.put(ctx.str(meta, "name"), m.get("spec"));
            }
        }
        List<Slo> out = new ArrayList<>();
        for (Node d : docs) {
            Map<String, Node> m = ctx.map(d, "document");
            if (isOpenSlo(m)) {
                String kind = ctx.str(m, "kind");
                if ("SLO".equals(kind)) {
                    out.add(ctx.openSlo(m, d));
                } else if (kind == null) {
                    throw ctx.err(d, "kind", "missing kind");
                }
                // Service, SLI, DataSource, AlertPolicy... documents are context only.
            } else if (m.containsKey("apiVersion")) {
                throw ctx.err(
                        m.get("apiVersion"),
                        "apiVersion",
                        "unsupported apiVersion '" + ctx.str(m, "apiVersion") + "' (expected openslo/v1 or the native"
                                + " form without apiVersion)");
            } else {
                out.addAll(ctx.nativeDoc(m, d));
            }
        }
        Set<String> ids = new HashSet<>();
        for (Slo s : out) {
            if (!ids.add(s.id())) {
                throw new SloSpecException(source, 0, "name", "duplicate SLO '" + s.id() + "'", null);
            }
        }
        return out;
    }

    private static boolean isOpenSlo(Map<String, Node> m) {
        Node v = m.get("apiVersion");
        return v instanceof ScalarNode s && s.getValue().startsWith("openslo/");
    }

    private static final class Ctx {
        final String source;
        final Map<String, Node> slis = new HashMap<>();

        Ctx(String source) {
            this.source = source;
        }

        SloSpecException err(Node at, String field, String msg) {
            return new SloSpecException(
                    source, at == null ? 0 : at.getStartMark().getLine() + 1, field, msg, null);
        }

        Map<String, Node> map(Node n, String field) {
            if (!(n instanceof MappingNode mn)) {
                throw err(n, field, "expected a mapping");
            }
            Map<String, Node> out = new LinkedHashMap<>();
            for (NodeTuple t : mn.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw err(t.getKeyNode(), field, "keys must be plain strings");
                }
                out.put(k.getValue(), t.getValueNode());
            }
            return out;
        }

        List<Node> seq(Node n, String field) {
            if (!(n instanceof SequenceNode sn)) {
                throw err(n, field, "expected a list");
            }
            return sn.getValue();
        }

        String str(Map<String, Node> m, String key) {
            Node n = m.get(key);
            if (n == null) {
                return null;
            }
            if (!(n instanceof ScalarNode s)) {
                throw err(n, key, "expected a single value");
            }
            return s.getValue();
        }

        Node req(Map<String, Node> m, String key, Node parent) {
            Node n = m.get(key);
            if (n == null) {
                throw err(parent, key, "missing required field '" + key + "'");
            }
            return n;
        }

        void checkKeys(Map<String, Node> m, Node at, String where, Set<String> allowed) {
            for (String k : m.keySet()) {
                if (!allowed.contains(k)) {
                    throw err(m.get(k), k, "unknown field in " + where + " (allowed: " + allowed + ")");
                }
            }
        }

        /** Runs {@code body}, turning a builder's SloSpecException into one with file and line. */
        <T> T at(Map<String, Node> m, Node fallback, java.util.function.Supplier<T> body) {
            try {
                return body.get();
            } catch (SloSpecException e) {
                if (e.source() != null) {
                    throw e;
                }
                // report the key the user wrote: 'target' for the builder's 'objective', else the expression
                String field = e.field();
                if ("objective".equals(field) && !m.containsKey(field) && m.containsKey("target")) {
                    field = "target";
                }
                Node n = field == null ? null : m.get(field);
                if (n == null) {
                    n = m.get("slo");
                }
                throw new SloSpecException(
                        source, (n != null ? n : fallback).getStartMark().getLine() + 1, field, e.reason(), e);
            } catch (IllegalArgumentException e) {
                throw new SloSpecException(source, fallback.getStartMark().getLine() + 1, null, e.getMessage(), e);
            }
        }

        // ---------------- native form ----------------

        List<Slo> nativeDoc(Map<String, Node> m, Node d) {
            checkKeys(m, d, "the SLO file", Set.of("service", "runbook", "dashboard", "labels", "slos"));
            String service = str(m, "service");
            Node slosNode = req(m, "slos", d);
            List<Slo> out = new ArrayList<>();
            for (Node item : seq(slosNode, "slos")) {
                out.add(nativeItem(item, m, service));
            }
            return out;
        }

        Slo nativeItem(Node item, Map<String, Node> file, String fileService) {
            Map<String, Node> m = item instanceof ScalarNode ? Map.of("slo", item) : map(item, "slos[]");
            checkKeys(
                    m,
                    item,
                    "an SLO",
                    Set.of(
                            "name",
                            "slo",
                            "sli",
                            "type",
                            "target",
                            "objective",
                            "window",
                            "threshold",
                            "service",
                            "description",
                            "priority",
                            "protocol",
                            "direction",
                            "route",
                            "method",
                            "labels",
                            "alerting",
                            "good",
                            "bad",
                            "total"));
            return at(m, item, () -> {
                String service = str(m, "service") != null ? str(m, "service") : fileService;
                String expr = str(m, "slo");
                SliType type;
                Double targetPercent = null;
                Double threshold = null;
                String window = str(m, "window");
                if (expr != null) {
                    Matcher x = EXPR.matcher(expr.trim());
                    if (!x.matches()) {
                        throw err(
                                m.get("slo"),
                                "slo",
                                "cannot read '" + expr + "' (expected e.g. 'availability 99.9%"
                                        + " over 30d', 'latency p95 < 500ms over 7d', 'latency < 300ms for 99% over 28d')");
                    }
                    type = sliType(x.group("type"), m.get("slo"));
                    if (x.group("pq") != null) {
                        targetPercent = Double.parseDouble(x.group("pq"));
                        threshold = seconds(x.group("pth"));
                    } else if (x.group("th") != null) {
                        threshold = seconds(x.group("th"));
                        targetPercent = Double.parseDouble(x.group("tp"));
                    } else {
                        targetPercent = Double.parseDouble(x.group("t"));
                    }
                    window = x.group("win");
                    if (x.group("svc") != null) {
                        service = x.group("svc");
                    }
                } else {
                    String t = str(m, "sli") != null ? str(m, "sli") : str(m, "type");
                    if (t == null) {
                        throw err(item, "slo", "missing 'slo' expression or 'sli' type");
                    }
                    type = sliType(t, m.containsKey("sli") ? m.get("sli") : m.get("type"));
                    String target = str(m, "target") != null ? str(m, "target") : str(m, "objective");
                    if (target == null) {
                        throw err(item, "target", "missing target (e.g. 99.9%)");
                    }
                    targetPercent = percent(target, m.containsKey("target") ? m.get("target") : m.get("objective"));
                    if (str(m, "threshold") != null) {
                        threshold = seconds(str(m, "threshold"));
                    }
                    if (window == null) {
                        throw err(item, "window", "missing window (e.g. 30d)");
                    }
                }
                Node windowNode = m.containsKey("window") ? m.get("window") : m.getOrDefault("slo", item);
                SloWindow w;
                try {
                    w = SloWindow.parse(window);
                } catch (IllegalArgumentException e) {
                    throw err(windowNode, "window", e.getMessage());
                }
                Sli.Builder sb = Sli.builder(type)
                        .protocol(str(m, "protocol"))
                        .route(str(m, "route"))
                        .method(str(m, "method"))
                        .goodQuery(str(m, "good"))
                        .badQuery(str(m, "bad"))
                        .totalQuery(str(m, "total"));
                if (m.containsKey("direction")) {
                    sb.direction(str(m, "direction"));
                }
                if (threshold != null) {
                    sb.latencyThresholdSeconds(threshold);
                }
                String name = str(m, "name") != null ? str(m, "name") : defaultName(type);
                Slo.Builder b = Slo.builder(service, name)
                        .description(str(m, "description"))
                        .sli(sb.build())
                        .objectivePercent(targetPercent)
                        .window(w);
                if (str(m, "priority") != null) {
                    b.priority(SloPriority.parse(str(m, "priority")));
                }
                labels(file.get("labels"), b);
                labels(m.get("labels"), b);
                b.alertPolicy(alerting(m.get("alerting"), w, str(file, "runbook"), str(file, "dashboard")));
                return b.build();
            });
        }

        void labels(Node n, Slo.Builder b) {
            if (n != null) {
                map(n, "labels").forEach((k, v) -> {
                    if (!(v instanceof ScalarNode s)) {
                        throw err(v, "labels." + k, "expected a single value");
                    }
                    b.label(k, s.getValue());
                });
            }
        }

        AlertPolicy alerting(Node n, SloWindow w, String runbook, String dashboard) {
            AlertPolicy.Builder p = AlertPolicy.workbookDefaults(w).toBuilder()
                    .runbookUrl(runbook)
                    .dashboardUrl(dashboard);
            if (n == null) {
                return p.build();
            }
            if (n instanceof ScalarNode s) {
                if (s.getValue().equals("none") || s.getValue().equals("false")) {
                    return AlertPolicy.none();
                }
                throw err(n, "alerting", "expected a mapping or 'none', got '" + s.getValue() + "'");
            }
            Map<String, Node> m = map(n, "alerting");
            checkKeys(m, n, "alerting", Set.of("runbook", "dashboard", "tiers", "enabled"));
            if (str(m, "runbook") != null) {
                p.runbookUrl(str(m, "runbook"));
            }
            if (str(m, "dashboard") != null) {
                p.dashboardUrl(str(m, "dashboard"));
            }
            if ("false".equals(str(m, "enabled"))) {
                p.enabled(false);
            }
            if (m.containsKey("tiers")) {
                List<BurnRateTier> tiers = new ArrayList<>();
                for (Node t : seq(m.get("tiers"), "alerting.tiers")) {
                    Map<String, Node> tm = map(t, "alerting.tiers[]");
                    checkKeys(tm, t, "a tier", Set.of("severity", "long", "short", "factor"));
                    req(tm, "long", t);
                    req(tm, "factor", t);
                    req(tm, "severity", t);
                    tiers.add(at(tm, t, () -> {
                        java.time.Duration longW = Durations.parse(str(tm, "long"));
                        java.time.Duration shortW = str(tm, "short") != null
                                ? Durations.parse(str(tm, "short"))
                                : java.time.Duration.ofMinutes(Math.max(1, Math.round(longW.toMinutes() / 12.0)));
                        return new BurnRateTier(
                                str(tm, "severity"), longW, shortW, Double.parseDouble(str(tm, "factor")));
                    }));
                }
                p.tiers(tiers);
            }
            return p.build();
        }

        SliType sliType(String t, Node at) {
            try {
                return SliType.parse(t);
            } catch (IllegalArgumentException e) {
                throw err(at, "sli", e.getMessage());
            }
        }

        static String defaultName(SliType t) {
            return switch (t) {
                case ERROR_RATE -> "success-rate";
                case CUSTOM_RATIO -> "ratio";
                default -> t.id().replace('_', '-');
            };
        }

        static double seconds(String v) {
            String s = v.trim().toLowerCase(Locale.ROOT).replace(" ", "");
            if (s.endsWith("ms")) {
                return Durations.dec(Double.parseDouble(s.substring(0, s.length() - 2)))
                        .movePointLeft(3)
                        .doubleValue();
            }
            if (s.endsWith("s")) {
                return Double.parseDouble(s.substring(0, s.length() - 1));
            }
            return Double.parseDouble(s);
        }

        double percent(String v, Node at) {
            String s = v.trim();
            try {
                if (s.endsWith("%")) {
                    return Double.parseDouble(s.substring(0, s.length() - 1).trim());
                }
                double d = Double.parseDouble(s);
                // a bare number below 1 is a ratio (0.999), otherwise percent (99.9)
                return d < 1 ? Durations.dec(d).movePointRight(2).doubleValue() : d;
            } catch (NumberFormatException e) {
                throw err(at, "target", "'" + v + "' is not a number or percentage");
            }
        }

        // ---------------- OpenSLO v1 ----------------

        Slo openSlo(Map<String, Node> doc, Node d) {
            if (!"openslo/v1".equals(str(doc, "apiVersion"))) {
                throw err(
                        doc.get("apiVersion"),
                        "apiVersion",
                        "unsupported OpenSLO version '" + str(doc, "apiVersion") + "' (expected openslo/v1)");
            }
            Map<String, Node> meta = map(req(doc, "metadata", d), "metadata");
            Node specNode = req(doc, "spec", d);
            Map<String, Node> spec = map(specNode, "spec");
            return at(spec, specNode, () -> {
                String name = str(meta, "name");
                if (name == null) {
                    throw err(doc.get("metadata"), "metadata.name", "missing SLO name");
                }
                String service = str(spec, "service");
                if (service == null) {
                    throw err(specNode, "spec.service", "missing service name (every SLO belongs to one service)");
                }
                String bm = str(spec, "budgetingMethod");
                if (bm != null && !bm.equals("Occurrences")) {
                    throw err(
                            spec.get("budgetingMethod"),
                            "spec.budgetingMethod",
                            "'" + bm + "' is not supported (only Occurrences)");
                }
                // window
                Node twNode = req(spec, "timeWindow", specNode);
                List<Node> tws = seq(twNode, "spec.timeWindow");
                if (tws.size() != 1) {
                    throw err(twNode, "spec.timeWindow", "exactly one time window is required, got " + tws.size());
                }
                Map<String, Node> tw = map(tws.get(0), "spec.timeWindow[0]");
                String dur = str(tw, "duration");
                SloWindow window;
                try {
                    if (tw.containsKey("calendar") || "false".equals(str(tw, "isRolling"))) {
                        java.time.ZoneId zone = java.time.ZoneId.of("UTC");
                        if (tw.get("calendar") instanceof MappingNode) {
                            String tz = str(map(tw.get("calendar"), "calendar"), "timeZone");
                            if (tz != null) {
                                zone = java.time.ZoneId.of(tz);
                            }
                        }
                        window = switch (dur == null ? "" : dur) {
                            case "1M", "month" -> SloWindow.calendarMonth(zone);
                            case "1w", "7d", "week" -> SloWindow.calendarWeek(zone);
                            default ->
                                throw new IllegalArgumentException(
                                        "calendar window '" + dur + "' not supported (use 1M or 1w)");
                        };
                    } else {
                        window = SloWindow.parse(dur);
                    }
                } catch (RuntimeException e) {
                    throw err(tw.getOrDefault("duration", tws.get(0)), "spec.timeWindow.duration", e.getMessage());
                }
                // objective
                Node objNode = req(spec, "objectives", specNode);
                List<Node> objs = seq(objNode, "spec.objectives");
                if (objs.size() != 1) {
                    throw err(
                            objNode,
                            "spec.objectives",
                            "exactly one objective per SLO is supported, got " + objs.size()
                                    + " (split it into several SLOs)");
                }
                Map<String, Node> obj = map(objs.get(0), "spec.objectives[0]");
                double pct;
                if (str(obj, "targetPercent") != null) {
                    pct = percent(str(obj, "targetPercent") + "%", obj.get("targetPercent"));
                } else if (str(obj, "target") != null) {
                    double r = Double.parseDouble(str(obj, "target"));
                    if (!(r > 0 && r < 1)) {
                        throw err(
                                obj.get("target"),
                                "spec.objectives[0].target",
                                "target " + str(obj, "target") + " must be a ratio above 0 and below 1 (e.g. 0.999)");
                    }
                    pct = Durations.dec(r).movePointRight(2).doubleValue();
                } else {
                    throw err(objs.get(0), "spec.objectives[0].target", "missing target or targetPercent");
                }
                // indicator
                Node ind = spec.get("indicator");
                Node indSpec;
                if (ind != null) {
                    indSpec = req(map(ind, "spec.indicator"), "spec", ind);
                } else if (str(spec, "indicatorRef") != null) {
                    indSpec = slis.get(str(spec, "indicatorRef"));
                    if (indSpec == null) {
                        throw err(
                                spec.get("indicatorRef"),
                                "spec.indicatorRef",
                                "no SLI named '" + str(spec, "indicatorRef") + "' in this file");
                    }
                } else {
                    throw err(specNode, "spec.indicator", "missing indicator or indicatorRef");
                }
                Sli sli = openSli(map(indSpec, "indicator.spec"), indSpec, obj);
                Slo.Builder b = Slo.builder(service, name)
                        .description(str(spec, "description"))
                        .sli(sli)
                        .objectivePercent(pct)
                        .window(window);
                if (meta.get("labels") instanceof MappingNode) {
                    map(meta.get("labels"), "metadata.labels").forEach((k, v) -> {
                        if (k.equals("priority") && v instanceof ScalarNode s) {
                            b.priority(SloPriority.parse(s.getValue()));
                        } else if (v instanceof ScalarNode s) {
                            b.label(k, s.getValue());
                        }
                    });
                }
                b.alertPolicy(openAlerting(spec.get("alertPolicies"), window));
                return b.build();
            });
        }

        Sli openSli(Map<String, Node> spec, Node at, Map<String, Node> objective) {
            if (spec.containsKey("ratioMetric")) {
                Map<String, Node> r = map(spec.get("ratioMetric"), "ratioMetric");
                if ("false".equals(str(r, "counter"))) {
                    throw err(r.get("counter"), "ratioMetric.counter", "only counters (counter: true) are supported");
                }
                Map<String, Node> total = source(req(r, "total", spec.get("ratioMetric")), "ratioMetric.total");
                if ("marty".equalsIgnoreCase(str(total, "type"))) {
                    Map<String, Node> ms = map(req(total, "spec", at), "metricSource.spec");
                    return builtIn(ms, spec.get("ratioMetric"), Double.NaN);
                }
                Sli.Builder b = Sli.builder(SliType.CUSTOM_RATIO).totalQuery(query(total, r.get("total")));
                if (r.containsKey("good")) {
                    b.goodQuery(query(source(r.get("good"), "ratioMetric.good"), r.get("good")));
                }
                if (r.containsKey("bad")) {
                    b.badQuery(query(source(r.get("bad"), "ratioMetric.bad"), r.get("bad")));
                }
                return b.build();
            }
            if (spec.containsKey("thresholdMetric")) {
                Map<String, Node> src = source(spec.get("thresholdMetric"), "thresholdMetric");
                if (!"marty".equalsIgnoreCase(str(src, "type"))) {
                    throw err(
                            spec.get("thresholdMetric"),
                            "thresholdMetric",
                            "only metricSource type 'marty' (the framework's request duration histogram) is supported"
                                    + " for threshold metrics");
                }
                String op = str(objective, "op");
                if (op != null && !op.equals("lte") && !op.equals("lt")) {
                    throw err(objective.get("op"), "objectives[0].op", "'" + op + "' is not supported (lte or lt)");
                }
                if (str(objective, "value") == null) {
                    throw err(null, "objectives[0].value", "threshold metric needs a value (seconds)");
                }
                double value = Double.parseDouble(str(objective, "value"));
                return builtIn(map(req(src, "spec", at), "metricSource.spec"), at, value);
            }
            throw err(at, "indicator.spec", "expected ratioMetric or thresholdMetric");
        }

        Sli builtIn(Map<String, Node> ms, Node at, double latency) {
            SliType t = Double.isNaN(latency)
                    ? sliType(str(ms, "sli") == null ? "availability" : str(ms, "sli"), ms.get("sli"))
                    : SliType.LATENCY;
            Sli.Builder b = Sli.builder(t)
                    .protocol(str(ms, "protocol"))
                    .route(str(ms, "route"))
                    .method(str(ms, "method"));
            if (ms.containsKey("direction")) {
                b.direction(str(ms, "direction"));
            }
            if (!Double.isNaN(latency)) {
                b.latencyThresholdSeconds(latency);
            }
            return b.build();
        }

        Map<String, Node> source(Node n, String field) {
            Map<String, Node> m = map(n, field);
            return map(req(m, "metricSource", n), field + ".metricSource");
        }

        String query(Map<String, Node> src, Node at) {
            Node spec = req(src, "spec", at);
            String q = str(map(spec, "metricSource.spec"), "query");
            if (q == null) {
                throw err(spec, "metricSource.spec.query", "missing PromQL query");
            }
            return q;
        }

        AlertPolicy openAlerting(Node n, SloWindow w) {
            if (n == null) {
                return AlertPolicy.workbookDefaults(w);
            }
            List<BurnRateTier> tiers = new ArrayList<>();
            for (Node p : seq(n, "spec.alertPolicies")) {
                Map<String, Node> pm = map(p, "alertPolicies[]");
                Map<String, Node> ps = pm.containsKey("spec") ? map(pm.get("spec"), "alertPolicies[].spec") : pm;
                for (Node c : seq(req(ps, "conditions", p), "alertPolicies[].conditions")) {
                    Map<String, Node> cm = map(c, "conditions[]");
                    Map<String, Node> cs = cm.containsKey("spec") ? map(cm.get("spec"), "conditions[].spec") : cm;
                    String sev = str(cs, "severity") == null
                            ? "page"
                            : str(cs, "severity").toLowerCase(Locale.ROOT);
                    sev = switch (sev) {
                        case "page", "critical", "high" -> "page";
                        default -> "ticket";
                    };
                    Map<String, Node> cond = map(req(cs, "condition", c), "condition");
                    if (!"burnrate".equals(str(cond, "kind"))) {
                        throw err(c, "condition.kind", "only kind 'burnrate' is supported");
                    }
                    java.time.Duration lookback = Durations.parse(str(cond, "lookbackWindow"));
                    java.time.Duration shortW = str(cond, "alertAfter") != null
                            ? Durations.parse(str(cond, "alertAfter"))
                            : java.time.Duration.ofMinutes(Math.max(1, Math.round(lookback.toMinutes() / 12.0)));
                    tiers.add(new BurnRateTier(sev, lookback, shortW, Double.parseDouble(str(cond, "threshold"))));
                }
            }
            return AlertPolicy.builder().tiers(tiers).build();
        }
    }
}
