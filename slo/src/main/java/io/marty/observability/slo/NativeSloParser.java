package io.marty.observability.slo;

import static io.marty.observability.slo.SloSpecValues.located;

import io.marty.observability.spec.SpecException;
import io.marty.observability.spec.SpecNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The concise native SLO form: {@code service}, {@code runbook}, {@code dashboard}, {@code labels} and a
 * list {@code slos} whose items are expressions ({@code availability 99.9% over 30d}) or mappings (see
 * {@code docs/slo.md}).
 */
final class NativeSloParser {
    private static final Pattern EXPR = Pattern.compile(
            "(?<type>[a-z_-]+):?\\s+"
                    + "(?:p(?<pq>\\d+(?:\\.\\d+)?)\\s*<\\s*(?<pth>\\d+(?:\\.\\d+)?\\s*(?:ms|s))"
                    + "|<\\s*(?<th>\\d+(?:\\.\\d+)?\\s*(?:ms|s))\\s+for\\s+(?<tp>-?\\d+(?:\\.\\d+)?)\\s*%"
                    + "|(?<t>-?\\d+(?:\\.\\d+)?)\\s*%)"
                    + "\\s+over\\s+(?<win>calendar\\s+month|calendar\\s+week|\\S+)"
                    + "(?:\\s+on\\s+(?:service\\s+)?(?<svc>\\S+))?",
            Pattern.CASE_INSENSITIVE);

    private static final Set<String> FILE_KEYS = Set.of("service", "runbook", "dashboard", "labels", "slos");
    private static final Set<String> SLO_KEYS = Set.of(
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
            "total");
    private static final Set<String> ALERTING_KEYS = Set.of("runbook", "dashboard", "tiers", "enabled");
    private static final Set<String> TIER_KEYS = Set.of("severity", "long", "short", "factor");

    private NativeSloParser() {}

    /** The SLOs of one native document, each with the node it came from. */
    static List<SloLoader.Parsed> parse(SpecNode doc) {
        doc.checkKeys(FILE_KEYS);
        List<SloLoader.Parsed> out = new ArrayList<>();
        for (SpecNode item : doc.list("slos")) {
            out.add(new SloLoader.Parsed(item(item, doc), item));
        }
        return out;
    }

    private static Slo item(SpecNode item, SpecNode file) {
        SpecNode m = item.isScalar() ? null : item.checkKeys(SLO_KEYS);
        SpecNode exprNode = m == null ? item : m.find("slo");
        return located(item, (field, reason) -> place(field, reason, item, m, exprNode, file), () -> {
            String service = string(m, "service", file.string("service", null));
            SliType type;
            double targetPercent;
            Double threshold = null;
            SloWindow window;
            if (exprNode != null) {
                String expr = exprNode.asString();
                Matcher x = EXPR.matcher(expr.trim());
                if (!x.matches()) {
                    throw exprNode.error("cannot read '" + expr + "' (expected e.g. 'availability 99.9%"
                            + " over 30d', 'latency p95 < 500ms over 7d', 'latency < 300ms for 99% over 28d')");
                }
                type = exprNode.as(t -> SliType.parse(x.group("type")));
                if (x.group("pq") != null) {
                    targetPercent = Double.parseDouble(x.group("pq"));
                    threshold = exprNode.as(t -> SloSpecValues.latencySeconds(x.group("pth")));
                } else if (x.group("th") != null) {
                    threshold = exprNode.as(t -> SloSpecValues.latencySeconds(x.group("th")));
                    targetPercent = Double.parseDouble(x.group("tp"));
                } else {
                    targetPercent = Double.parseDouble(x.group("t"));
                }
                window = exprNode.as(t -> SloWindow.parse(x.group("win")));
                if (x.group("svc") != null) {
                    service = x.group("svc");
                }
            } else {
                SpecNode typeNode = m.has("sli") ? m.get("sli") : m.find("type");
                if (typeNode == null) {
                    throw m.errorAt("slo", "missing 'slo' expression or 'sli' type");
                }
                type = SloSpecValues.sliType(typeNode);
                SpecNode target = m.has("target") ? m.get("target") : m.find("objective");
                if (target == null) {
                    throw m.errorAt("target", "missing target (e.g. 99.9%)");
                }
                targetPercent = SloSpecValues.percent(target);
                if (m.has("threshold")) {
                    threshold = m.get("threshold").as(SloSpecValues::latencySeconds);
                }
                if (!m.has("window")) {
                    throw m.errorAt("window", "missing window (e.g. 30d)");
                }
                window = m.get("window").as(SloWindow::parse);
            }
            Sli.Builder sb = Sli.builder(type)
                    .protocol(string(m, "protocol", null))
                    .route(string(m, "route", null))
                    .method(string(m, "method", null))
                    .goodQuery(string(m, "good", null))
                    .badQuery(string(m, "bad", null))
                    .totalQuery(string(m, "total", null));
            if (m != null && m.has("direction")) {
                sb.direction(m.string("direction"));
            }
            if (threshold != null) {
                sb.latencyThresholdSeconds(threshold);
            }
            Slo.Builder b = Slo.builder(service, string(m, "name", defaultName(type)))
                    .description(string(m, "description", null))
                    .sli(sb.build())
                    .objectivePercent(targetPercent)
                    .window(window);
            if (m != null && m.has("priority")) {
                b.priority(m.get("priority").as(SloPriority::parse));
            }
            labels(file.find("labels"), b);
            labels(m == null ? null : m.find("labels"), b);
            b.alertPolicy(alerting(
                    m == null ? null : m.find("alerting"),
                    window,
                    file.string("runbook", null),
                    file.string("dashboard", null)));
            return b.build();
        });
    }

    /**
     * Where a model error about {@code field} belongs: the key the user wrote ({@code target} for the
     * builder's {@code objective}), else the expression, else the item; a missing service at the file's
     * {@code service}.
     */
    private static SpecException place(
            String field, String reason, SpecNode item, SpecNode m, SpecNode exprNode, SpecNode file) {
        String key = field.equals("objective") && m != null && !m.has("objective") ? "target" : field;
        if (m != null && m.has(key)) {
            return m.get(key).error(reason);
        }
        if (key.equals("service") && !file.has("service")) {
            return file.errorAt("service", reason);
        }
        if (exprNode != null) {
            return exprNode.error(reason);
        }
        return item.isMap() ? item.errorAt(key, reason) : item.error(reason);
    }

    private static String string(SpecNode m, String key, String defaultValue) {
        return m == null ? defaultValue : m.string(key, defaultValue);
    }

    private static void labels(SpecNode n, Slo.Builder b) {
        if (n != null) {
            n.entries().forEach((k, v) -> b.label(k, v.asString()));
        }
    }

    private static AlertPolicy alerting(SpecNode n, SloWindow w, String runbook, String dashboard) {
        AlertPolicy.Builder p =
                AlertPolicy.workbookDefaults(w).toBuilder().runbookUrl(runbook).dashboardUrl(dashboard);
        if (n == null) {
            return p.build();
        }
        if (n.isScalar()) {
            if (n.asString().equals("none") || n.asString().equals("false")) {
                return AlertPolicy.none();
            }
            throw n.error("expected a mapping or 'none', got '" + n.asString() + "'");
        }
        n.checkKeys(ALERTING_KEYS);
        if (n.has("runbook")) {
            p.runbookUrl(n.string("runbook"));
        }
        if (n.has("dashboard")) {
            p.dashboardUrl(n.string("dashboard"));
        }
        if (!n.bool("enabled", true)) {
            p.enabled(false);
        }
        if (n.has("tiers")) {
            List<BurnRateTier> tiers = new ArrayList<>();
            for (SpecNode t : n.list("tiers")) {
                t.checkKeys(TIER_KEYS);
                String severity = t.string("severity");
                Duration longWindow = t.duration("long");
                Duration shortWindow = t.duration("short", SloSpecValues.defaultShortWindow(longWindow));
                double factor = t.number("factor");
                tiers.add(located(
                        t,
                        (field, reason) -> t.errorAt(
                                switch (field) {
                                    case "shortWindow" -> t.has("short") ? "short" : "long";
                                    case "window" -> "long";
                                    default -> field;
                                },
                                reason),
                        () -> new BurnRateTier(severity, longWindow, shortWindow, factor)));
            }
            p.tiers(tiers);
        }
        return p.build();
    }

    private static String defaultName(SliType t) {
        return switch (t) {
            case ERROR_RATE -> "success-rate";
            case CUSTOM_RATIO -> "ratio";
            default -> t.id().replace('_', '-');
        };
    }
}
