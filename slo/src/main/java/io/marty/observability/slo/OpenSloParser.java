package io.marty.observability.slo;

import static io.marty.observability.slo.SloSpecValues.located;

import io.marty.observability.slo.internal.Decimals;
import io.marty.observability.spec.SpecNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenSLO v1 documents: {@code kind: SLO} with an inline {@code indicator} or an {@code indicatorRef} to a
 * {@code kind: SLI} document of the same file; other kinds are context and skipped. Supported subset:
 * occurrences budgeting, one time window (rolling, or a calendar month or week), one objective, ratio
 * metrics (PromQL queries or the built-in {@code marty} source) and threshold metrics on the built-in
 * request duration histogram, burn-rate alert conditions.
 */
final class OpenSloParser {
    private final Map<String, SpecNode> slis = new HashMap<>();

    /** Whether a document declares an OpenSLO {@code apiVersion}. */
    static boolean isOpenSlo(SpecNode doc) {
        SpecNode v = doc.find("apiVersion");
        return v != null && v.isScalar() && v.asString().startsWith("openslo/");
    }

    /** Registers a {@code kind: SLI} document so that SLOs can refer to it by name. */
    void addSli(SpecNode doc) {
        slis.put(doc.map("metadata").string("name"), doc.get("spec"));
    }

    /** One {@code kind: SLO} document. */
    Slo parse(SpecNode doc) {
        if (!"openslo/v1".equals(doc.string("apiVersion"))) {
            throw doc.get("apiVersion")
                    .error("unsupported OpenSLO version '" + doc.string("apiVersion") + "' (expected openslo/v1)");
        }
        SpecNode meta = doc.map("metadata");
        SpecNode spec = doc.map("spec");
        String name = meta.string("name");
        if (!spec.has("service")) {
            throw spec.errorAt("service", "missing service name (every SLO belongs to one service)");
        }
        String service = spec.string("service");
        String bm = spec.string("budgetingMethod", "Occurrences");
        if (!bm.equals("Occurrences")) {
            throw spec.get("budgetingMethod").error("'" + bm + "' is not supported (only Occurrences)");
        }
        SloWindow window = window(spec);
        List<SpecNode> objectives = spec.list("objectives");
        if (objectives.size() != 1) {
            throw spec.get("objectives")
                    .error("exactly one objective per SLO is supported, got " + objectives.size()
                            + " (split it into several SLOs)");
        }
        SpecNode objective = objectives.get(0);
        double percent = objectivePercent(objective);
        Sli sli = located(spec, (f, r) -> null, () -> sli(indicatorSpec(spec), objective));
        AlertPolicy alerts = alerting(spec.find("alertPolicies"), window);
        return located(
                spec,
                (field, reason) -> switch (field) {
                    case "objective" -> objective.error(reason);
                    case "window", "alerting" ->
                        spec.errorAt(field.equals("window") ? "timeWindow" : "alertPolicies", reason);
                    case "name" -> meta.errorAt("name", reason);
                    case "labels" -> meta.errorAt("labels", reason);
                    default -> spec.find(field) != null ? spec.errorAt(field, reason) : null;
                },
                () -> {
                    Slo.Builder b = Slo.builder(service, name)
                            .description(spec.string("description", null))
                            .sli(sli)
                            .objectivePercent(percent)
                            .window(window)
                            .alertPolicy(alerts);
                    SpecNode labels = meta.find("labels");
                    if (labels != null && labels.isMap()) {
                        labels.entries().forEach((k, v) -> {
                            if (k.equals("priority") && v.isScalar()) {
                                b.priority(v.as(SloPriority::parse));
                            } else if (v.isScalar()) {
                                b.label(k, v.asString());
                            }
                        });
                    }
                    return b.build();
                });
    }

    private static SloWindow window(SpecNode spec) {
        List<SpecNode> windows = spec.list("timeWindow");
        if (windows.size() != 1) {
            throw spec.get("timeWindow").error("exactly one time window is required, got " + windows.size());
        }
        SpecNode tw = windows.get(0);
        if (!tw.has("calendar") && tw.bool("isRolling", true)) {
            return tw.get("duration").as(SloWindow::parse);
        }
        ZoneId zone = ZoneId.of("UTC");
        SpecNode calendar = tw.find("calendar");
        if (calendar != null && calendar.isMap() && calendar.has("timeZone")) {
            SpecNode tz = calendar.get("timeZone");
            try {
                zone = ZoneId.of(tz.asString());
            } catch (DateTimeException e) {
                throw tz.error("unknown time zone '" + tz.asString() + "'", e);
            }
        }
        String duration = tw.string("duration", "");
        return switch (duration) {
            case "1M", "month" -> SloWindow.calendarMonth(zone);
            case "1w", "7d", "week" -> SloWindow.calendarWeek(zone);
            default -> throw tw.errorAt("duration", "calendar window '" + duration + "' not supported (use 1M or 1w)");
        };
    }

    private static double objectivePercent(SpecNode objective) {
        if (objective.has("targetPercent")) {
            return objective.number("targetPercent");
        }
        if (objective.has("target")) {
            double ratio = objective.number("target");
            if (!(ratio > 0 && ratio < 1)) {
                throw objective
                        .get("target")
                        .error("target " + objective.string("target")
                                + " must be a ratio above 0 and below 1 (e.g. 0.999)");
            }
            return Decimals.dec(ratio).movePointRight(2).doubleValue();
        }
        throw objective.errorAt("target", "missing target or targetPercent");
    }

    private SpecNode indicatorSpec(SpecNode spec) {
        SpecNode inline = spec.find("indicator");
        if (inline != null) {
            return inline.map("spec");
        }
        if (spec.has("indicatorRef")) {
            SpecNode ref = spec.get("indicatorRef");
            SpecNode found = slis.get(ref.asString());
            if (found == null) {
                throw ref.error("no SLI named '" + ref.asString() + "' in this file");
            }
            return found;
        }
        throw spec.errorAt("indicator", "missing indicator or indicatorRef");
    }

    private static Sli sli(SpecNode spec, SpecNode objective) {
        if (spec.has("ratioMetric")) {
            SpecNode ratio = spec.map("ratioMetric");
            if (!ratio.bool("counter", true)) {
                throw ratio.get("counter").error("only counters (counter: true) are supported");
            }
            SpecNode total = metricSource(ratio.get("total"));
            if ("marty".equalsIgnoreCase(total.string("type", null))) {
                return builtIn(total.map("spec"), Double.NaN);
            }
            Sli.Builder b = Sli.builder(SliType.CUSTOM_RATIO).totalQuery(query(total));
            if (ratio.has("good")) {
                b.goodQuery(query(metricSource(ratio.get("good"))));
            }
            if (ratio.has("bad")) {
                b.badQuery(query(metricSource(ratio.get("bad"))));
            }
            return b.build();
        }
        if (spec.has("thresholdMetric")) {
            SpecNode source = metricSource(spec.get("thresholdMetric"));
            if (!"marty".equalsIgnoreCase(source.string("type", null))) {
                throw spec.get("thresholdMetric")
                        .error("only metricSource type 'marty' (the framework's request duration histogram) is"
                                + " supported for threshold metrics");
            }
            String op = objective.string("op", null);
            if (op != null && !op.equals("lte") && !op.equals("lt")) {
                throw objective.get("op").error("'" + op + "' is not supported (lte or lt)");
            }
            if (!objective.has("value")) {
                throw objective.errorAt("value", "threshold metric needs a value (seconds)");
            }
            return builtIn(source.map("spec"), objective.number("value"));
        }
        throw spec.error("expected ratioMetric or thresholdMetric");
    }

    /** The framework's own metrics: an SLI type (availability by default) or, with a value, latency. */
    private static Sli builtIn(SpecNode source, double latencySeconds) {
        boolean latency = !Double.isNaN(latencySeconds);
        SliType type = latency
                ? SliType.LATENCY
                : source.has("sli") ? SloSpecValues.sliType(source.get("sli")) : SliType.AVAILABILITY;
        Sli.Builder b = Sli.builder(type)
                .protocol(source.string("protocol", null))
                .route(source.string("route", null))
                .method(source.string("method", null));
        if (source.has("direction")) {
            b.direction(source.string("direction"));
        }
        if (latency) {
            b.latencyThresholdSeconds(latencySeconds);
        }
        return b.build();
    }

    private static SpecNode metricSource(SpecNode n) {
        return n.map("metricSource");
    }

    private static String query(SpecNode source) {
        SpecNode spec = source.map("spec");
        if (!spec.has("query")) {
            throw spec.errorAt("query", "missing PromQL query");
        }
        return spec.string("query");
    }

    private static AlertPolicy alerting(SpecNode policies, SloWindow window) {
        if (policies == null) {
            return AlertPolicy.workbookDefaults(window);
        }
        List<BurnRateTier> tiers = new ArrayList<>();
        for (SpecNode policy : policies.items()) {
            SpecNode ps = policy.has("spec") ? policy.map("spec") : policy;
            for (SpecNode c : ps.list("conditions")) {
                SpecNode cs = c.has("spec") ? c.map("spec") : c;
                String severity = switch (cs.string("severity", "page").toLowerCase(Locale.ROOT)) {
                    case "page", "critical", "high" -> "page";
                    default -> "ticket";
                };
                SpecNode cond = cs.map("condition");
                if (!"burnrate".equals(cond.string("kind", null))) {
                    throw cond.errorAt("kind", "only kind 'burnrate' is supported");
                }
                Duration lookback = cond.duration("lookbackWindow");
                Duration shortWindow = cond.duration("alertAfter", SloSpecValues.defaultShortWindow(lookback));
                double factor = cond.number("threshold");
                tiers.add(located(
                        cond,
                        (field, reason) -> cond.errorAt(
                                switch (field) {
                                    case "shortWindow" -> cond.has("alertAfter") ? "alertAfter" : "lookbackWindow";
                                    case "window" -> "lookbackWindow";
                                    case "factor" -> "threshold";
                                    default -> field;
                                },
                                reason),
                        () -> new BurnRateTier(severity, lookback, shortWindow, factor)));
            }
        }
        return AlertPolicy.builder().tiers(tiers).build();
    }
}
