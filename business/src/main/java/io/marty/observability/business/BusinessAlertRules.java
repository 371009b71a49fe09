package io.marty.observability.business;

import io.marty.observability.core.alert.AlertSink;
import io.marty.observability.core.alert.AlertmanagerAlertSink;
import io.marty.observability.core.alert.LogAlertSink;
import io.marty.observability.core.alert.Severity;
import io.marty.observability.core.alert.WebhookAlertSink;
import io.marty.observability.spec.SpecNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Business alert rules read from YAML: one file drives the in-process evaluator ({@link
 * BusinessAlerting}) and the generated Prometheus recording/alert rules ({@link
 * BusinessRuleGenerator}) with their promtool tests.
 *
 * <pre>{@code
 * service: shop
 * currency: USD                      # the currency of the revenue series
 * funnels:
 *   checkout: [cart, payment, confirmed]
 * defaults: {severity: warning, cooldown: 15m, window: 5m}
 * anomaly: {bucket: 5m, season: 1d, seasons: 7, min_seasons: 2, sensitivity: 3.5, min_relative_change: 0.3, consecutive: 2}
 * rules:
 *   - {name: revenue_anomaly, type: anomaly, series: revenue, direction: drop, severity: critical,
 *      inhibits: [revenue_below_yesterday]}
 *   - {name: revenue_below_yesterday, type: rate_of_change, series: revenue, window: 1h, offset: 1d, max_drop: 0.5}
 *   - {name: conversion_low, type: threshold, series: conversion.checkout, window: 1h, op: "<", value: 0.02}
 *   - {name: no_orders, type: absence, series: orders, window: 10m, severity: critical}
 * notifiers:
 *   - {type: log}
 *   - {type: alertmanager, url: "http://alertmanager:9093"}
 *   - {type: webhook, url: "https://hooks.example/alerts"}
 * }</pre>
 *
 * <p>Series: {@code revenue} (minor units of {@code currency}), {@code orders}, {@code orders_failed},
 * {@code sessions}, {@code carts_created}, {@code carts_abandoned}, {@code event.<type>} (per-second
 * rates over the window) and {@code conversion.<funnel>} (last step / first step over the window).
 * Rule types: {@code threshold} ({@code op}, {@code value}), {@code rate_of_change} (the window now
 * against the same window {@code offset} earlier; {@code max_drop} and/or {@code max_rise} as
 * fractions), {@code anomaly} ({@link AnomalyDetector} in process; in Prometheus: below {@code 1 −
 * min_relative_change} of both one and {@code seasons} seasons ago), {@code absence} (no data in the
 * window). {@code inhibits} lists rules silenced while this one is active. Errors name the file,
 * line and key.
 */
public final class BusinessAlertRules {
    /** Series whose values are counts, with their Prometheus metric and matchers. */
    static final Map<String, String> COUNTER_SERIES = Map.of(
            "revenue", "mmf_business_revenue_minor_units_total",
            "orders", "mmf_business_orders_total",
            "orders_failed", "mmf_business_orders_total",
            "sessions", "mmf_business_sessions_total",
            "carts_created", "mmf_business_carts_total",
            "carts_abandoned", "mmf_business_carts_total");

    private static final Set<String> TYPES = Set.of("threshold", "rate_of_change", "anomaly", "absence");

    /** The rule kinds. */
    public enum Type {
        THRESHOLD,
        RATE_OF_CHANGE,
        ANOMALY,
        ABSENCE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One rule.
     *
     * @param name rule name (the {@code alertname})
     * @param type rule kind
     * @param series the series it watches
     * @param severity alert severity
     * @param window the window the series is measured over
     * @param cooldown how long the rule stays quiet after it fired
     * @param op threshold comparison (threshold rules)
     * @param value threshold (threshold rules)
     * @param offset how far back the comparison window is (rate-of-change rules)
     * @param maxDrop fraction of decrease that fires (rate-of-change), NaN when unset
     * @param maxRise fraction of increase that fires (rate-of-change), NaN when unset
     * @param anomaly detector settings (anomaly rules)
     * @param inhibits rules silenced while this one is active
     */
    public record Rule(
            String name,
            Type type,
            String series,
            Severity severity,
            Duration window,
            Duration cooldown,
            @Nullable Comparison op,
            double value,
            Duration offset,
            double maxDrop,
            double maxRise,
            AnomalySettings anomaly,
            List<String> inhibits) {
        public Rule {
            inhibits = List.copyOf(inhibits);
        }
    }

    /** Settings of the anomaly detector of anomaly rules. */
    public record AnomalySettings(
            Duration bucket,
            Duration season,
            int seasons,
            int minSeasons,
            double sensitivity,
            double minRelativeChange,
            int consecutive,
            AnomalyDetector.Direction direction) {

        /** A detector with these settings. */
        public AnomalyDetector newDetector() {
            return AnomalyDetector.builder()
                    .bucket(bucket)
                    .season(season)
                    .seasons(seasons)
                    .minSeasons(minSeasons)
                    .sensitivity(sensitivity)
                    .minRelativeChange(minRelativeChange)
                    .consecutive(consecutive)
                    .direction(direction)
                    .build();
        }
    }

    /** A notifier: {@code log}, {@code webhook} or {@code alertmanager} with its URL. */
    public record Notifier(String type, @Nullable URI url) {

        /** The sink for this notifier (HTTP sinks use {@code source="marty-business"}). */
        public AlertSink newSink() {
            switch (type) {
                case "webhook":
                    return WebhookAlertSink.builder(url).source(SOURCE).build();
                case "alertmanager":
                    return AlertmanagerAlertSink.builder(url).source(SOURCE).build();
                default:
                    return new LogAlertSink();
            }
        }
    }

    /** The {@code source} of business alerts in webhook bodies and Alertmanager labels. */
    public static final String SOURCE = "marty-business";

    private final String service;
    private final String currency;
    private final Map<String, List<String>> funnels;
    private final List<Rule> rules;
    private final List<Notifier> notifiers;

    private BusinessAlertRules(
            String service,
            String currency,
            Map<String, List<String>> funnels,
            List<Rule> rules,
            List<Notifier> notifiers) {
        this.service = service;
        this.currency = currency;
        this.funnels = funnels;
        this.rules = rules;
        this.notifiers = notifiers;
    }

    /** Reads rules from YAML text; {@code source} names the file in errors. */
    public static BusinessAlertRules parse(String yaml, String source) {
        SpecNode root = SpecNode.read(yaml, source);
        root.checkKeys(Set.of("service", "currency", "funnels", "defaults", "anomaly", "rules", "notifiers"));
        String service = root.string("service");
        String currency = root.has("currency")
                ? root.get("currency").as(c -> Money.ofMinor(0, c).currencyCode())
                : "USD";
        Map<String, List<String>> funnels = new LinkedHashMap<>();
        if (root.has("funnels")) {
            for (Map.Entry<String, SpecNode> e : root.map("funnels").entries().entrySet()) {
                List<String> steps = e.getValue().asStringList();
                if (steps.size() < 2) {
                    throw e.getValue().error("a funnel needs at least two steps");
                }
                funnels.put(e.getKey(), List.copyOf(steps));
            }
        }
        SpecNode defaults = root.has("defaults") ? root.map("defaults") : null;
        if (defaults != null) {
            defaults.checkKeys(Set.of("severity", "cooldown", "window"));
        }
        SpecNode anomalyDefaults = root.has("anomaly") ? root.map("anomaly") : null;
        if (anomalyDefaults != null) {
            anomalyDefaults.checkKeys(ANOMALY_KEYS);
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (SpecNode r : root.list("rules")) {
            Rule rule = rule(r, defaults, anomalyDefaults, funnels);
            if (!names.add(rule.name())) {
                throw r.errorAt("name", "duplicate rule name '" + rule.name() + "'");
            }
            rules.add(rule);
        }
        for (int i = 0; i < rules.size(); i++) {
            for (String target : rules.get(i).inhibits()) {
                if (!names.contains(target) || target.equals(rules.get(i).name())) {
                    throw root.list("rules")
                            .get(i)
                            .errorAt("inhibits", "'" + target + "' is not another rule of this file");
                }
            }
        }
        List<Notifier> notifiers = new ArrayList<>();
        if (root.has("notifiers")) {
            for (SpecNode n : root.list("notifiers")) {
                n.checkKeys(Set.of("type", "url"));
                String type = n.get("type").asOneOf(List.of("log", "webhook", "alertmanager"));
                URI url = null;
                if (!type.equals("log")) {
                    url = n.get("url").as(u -> {
                        URI x = URI.create(u);
                        if (!"http".equals(x.getScheme()) && !"https".equals(x.getScheme())) {
                            throw new IllegalArgumentException("must be an http(s) URL");
                        }
                        return x;
                    });
                }
                notifiers.add(new Notifier(type, url));
            }
        }
        return new BusinessAlertRules(
                service, currency, Map.copyOf(funnels), List.copyOf(rules), List.copyOf(notifiers));
    }

    private static final Set<String> ANOMALY_KEYS = Set.of(
            "bucket",
            "season",
            "seasons",
            "min_seasons",
            "sensitivity",
            "min_relative_change",
            "consecutive",
            "direction");

    private static final Set<String> RULE_KEYS = union(
            Set.of(
                    "name",
                    "type",
                    "series",
                    "severity",
                    "window",
                    "cooldown",
                    "op",
                    "value",
                    "offset",
                    "max_drop",
                    "max_rise",
                    "inhibits"),
            ANOMALY_KEYS);

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    private static Rule rule(
            SpecNode r,
            @Nullable SpecNode defaults,
            @Nullable SpecNode anomalyDefaults,
            Map<String, List<String>> funnels) {
        r.checkKeys(RULE_KEYS);
        String name = r.get("name").as(n -> {
            if (!n.matches("[a-zA-Z_][a-zA-Z0-9_]{0,127}")) {
                throw new IllegalArgumentException(
                        "must be a Prometheus label value of [a-zA-Z0-9_], starting with a letter");
            }
            return n;
        });
        Type type = Type.valueOf(r.get("type").asOneOf(TYPES).toUpperCase(java.util.Locale.ROOT));
        String series = r.get("series").as(s -> {
            checkSeries(s, funnels);
            return s;
        });
        Severity severity = setting(r, defaults, "severity") == null
                ? Severity.WARNING
                : setting(r, defaults, "severity").as(Severity::parse);
        Duration window = setting(r, defaults, "window") == null
                ? Duration.ofMinutes(5)
                : positive(setting(r, defaults, "window"));
        Duration cooldown = setting(r, defaults, "cooldown") == null
                ? Duration.ofMinutes(15)
                : setting(r, defaults, "cooldown").asDuration();
        Comparison op = null;
        double value = Double.NaN;
        Duration offset = Duration.ofDays(1);
        double maxDrop = Double.NaN;
        double maxRise = Double.NaN;
        switch (type) {
            case THRESHOLD:
                op = r.get("op").as(Comparison::parse);
                value = r.number("value");
                if (series.startsWith("conversion.") && !(value > 0 && value < 1)) {
                    throw r.errorAt("value", "a conversion threshold is a ratio in (0, 1), got " + value);
                }
                break;
            case RATE_OF_CHANGE:
                offset = r.has("offset") ? positive(r.get("offset")) : Duration.ofDays(1);
                maxDrop = r.has("max_drop") ? fraction(r.get("max_drop")) : Double.NaN;
                maxRise = r.has("max_rise") ? r.number("max_rise") : Double.NaN;
                if (Double.isNaN(maxDrop) && Double.isNaN(maxRise)) {
                    throw r.error("rate_of_change needs max_drop and/or max_rise");
                }
                break;
            default:
                break;
        }
        AnomalySettings anomaly = new AnomalySettings(
                positive(anomalySetting(r, anomalyDefaults, "bucket"), Duration.ofMinutes(5)),
                positive(anomalySetting(r, anomalyDefaults, "season"), Duration.ofDays(1)),
                intSetting(anomalySetting(r, anomalyDefaults, "seasons"), 7),
                intSetting(anomalySetting(r, anomalyDefaults, "min_seasons"), 2),
                numberSetting(anomalySetting(r, anomalyDefaults, "sensitivity"), 3.5),
                numberSetting(anomalySetting(r, anomalyDefaults, "min_relative_change"), 0.3),
                intSetting(anomalySetting(r, anomalyDefaults, "consecutive"), 2),
                anomalySetting(r, anomalyDefaults, "direction") == null
                        ? AnomalyDetector.Direction.DROP
                        : anomalySetting(r, anomalyDefaults, "direction").as(AnomalyDetector.Direction::parse));
        if (type == Type.ANOMALY) {
            try {
                anomaly.newDetector();
            } catch (IllegalArgumentException e) {
                throw r.error(e.getMessage());
            }
        }
        List<String> inhibits = r.has("inhibits") ? r.get("inhibits").asStringList() : List.of();
        return new Rule(
                name, type, series, severity, window, cooldown, op, value, offset, maxDrop, maxRise, anomaly, inhibits);
    }

    private static void checkSeries(String s, Map<String, List<String>> funnels) {
        if (COUNTER_SERIES.containsKey(s)) {
            return;
        }
        if (s.startsWith("conversion.")) {
            if (!funnels.containsKey(s.substring("conversion.".length()))) {
                throw new IllegalArgumentException("no funnel '" + s.substring(11) + "' under funnels");
            }
            return;
        }
        if (s.startsWith("event.") && s.substring(6).matches("[a-z][a-z0-9_]{0,63}")) {
            return;
        }
        throw new IllegalArgumentException(
                "unknown series (use revenue, orders, orders_failed, sessions, carts_created,"
                        + " carts_abandoned, event.<type> or conversion.<funnel>)");
    }

    private static @Nullable SpecNode setting(SpecNode r, @Nullable SpecNode defaults, String key) {
        SpecNode n = r.find(key);
        return n != null ? n : defaults == null ? null : defaults.find(key);
    }

    private static @Nullable SpecNode anomalySetting(SpecNode r, @Nullable SpecNode defaults, String key) {
        return setting(r, defaults, key);
    }

    private static Duration positive(SpecNode n) {
        Duration d = n.asDuration();
        if (d.isNegative() || d.isZero()) {
            throw n.error("must be a positive duration");
        }
        return d;
    }

    private static Duration positive(@Nullable SpecNode n, Duration dflt) {
        return n == null ? dflt : positive(n);
    }

    private static int intSetting(@Nullable SpecNode n, int dflt) {
        return n == null ? dflt : n.asInt();
    }

    private static double numberSetting(@Nullable SpecNode n, double dflt) {
        return n == null ? dflt : n.asDouble();
    }

    private static double fraction(SpecNode n) {
        double v = n.asDouble();
        if (!(v > 0 && v < 1)) {
            throw n.error("must be a fraction in (0, 1), got " + v);
        }
        return v;
    }

    public String service() {
        return service;
    }

    public String currency() {
        return currency;
    }

    /** Funnel name → ordered steps. */
    public Map<String, List<String>> funnels() {
        return funnels;
    }

    public List<Rule> rules() {
        return rules;
    }

    public List<Notifier> notifiers() {
        return notifiers;
    }
}
