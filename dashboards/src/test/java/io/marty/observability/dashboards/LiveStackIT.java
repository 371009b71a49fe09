package io.marty.observability.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marty.observability.dashboards.Dashboard.PanelQuery;
import io.marty.observability.testing.ExternalTools;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The dashboards and rules against what the code really emits: the demo services ({@link LiveDemo}:
 * gateway, order and payment service in this JVM on loopback, driven by the demo's traffic
 * generator with failing payments, plus a log analyzer and a wrapped thread pool for the
 * {@code mmf_log_*} and {@code mmf_executor_*} panels) are scraped; every metric name any dashboard
 * panel, alert rule or SLO recording rule uses must be in that scrape (or be recorded by a rule, or
 * be Prometheus' own {@code up}); then a real Prometheus (Debian package) scrapes the demo with
 * {@code deploy/prometheus/prometheus.yml} (target swapped for the demo's port, intervals shortened)
 * and the rule files under {@code deploy/prometheus/rules/}, evaluates every dashboard query without
 * error, at least one per dashboard returning data, and every rule without error.
 */
class LiveStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Words in PromQL that look like metric names but are keywords. */
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "inf",
            "nan");

    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static LiveDemo service;
    private static ScheduledExecutorService extras;
    private static Process prometheus;
    private static Path promDir;
    private static int promPort;
    private static final List<Dashboard> dashboards = DeploySpecs.dashboards();
    private static final AlertRules alerts = AlertRules.builder().build();
    private static final Path RULES = Tools.REPO.resolve("deploy/prometheus/rules");

    @BeforeAll
    static void start() throws Exception {
        service = new LiveDemo();
        service.extras();
        extras = Executors.newSingleThreadScheduledExecutor();
        extras.scheduleWithFixedDelay(
                () -> {
                    try {
                        service.extras();
                    } catch (Exception e) {
                        // the next round tries again; the assertions report what is missing
                    }
                },
                200,
                300,
                TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (extras != null) {
            extras.shutdownNow();
            extras.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (service != null) {
            service.close();
        }
        if (promDir != null) {
            try (Stream<Path> files = Files.walk(promDir)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String get(URI uri) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Metric names of the samples in an exposition (with _total, _bucket, _count, _sum as served). */
    private static Set<String> scrapedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = IDENT.matcher(line);
            if (m.lookingAt()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** Metric names an expression selects: identifiers outside strings, label sets, ranges and groupings. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENT.matcher(e);
        while (m.find()) {
            String id = m.group();
            int next = m.end();
            while (next < e.length() && e.charAt(next) == ' ') {
                next++;
            }
            boolean function = next < e.length() && e.charAt(next) == '(';
            boolean numberPart = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !numberPart && !KEYWORDS.contains(id.toLowerCase())) {
                names.add(id);
            }
        }
        return names;
    }

    /** The checked-in rule files Prometheus loads ({@code deploy/prometheus/rules/*.rules.yml}). */
    private static List<Path> ruleFiles() throws Exception {
        try (Stream<Path> files = Files.list(RULES)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".rules.yml"))
                    .sorted()
                    .toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> ruleExpressions(String ruleFile, Set<String> recorded) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Map<String, Object> doc = new Yaml().load(ruleFile);
        for (Object g : (List<Object>) doc.get("groups")) {
            for (Object r : (List<Object>) ((Map<String, Object>) g).get("rules")) {
                Map<String, Object> rule = (Map<String, Object>) r;
                if (rule.containsKey("record")) {
                    recorded.add((String) rule.get("record"));
                }
                String name = rule.containsKey("alert") ? "alert " + rule.get("alert") : "record " + rule.get("record");
                out.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(metricNames((String) rule.get("expr")));
            }
        }
        return out;
    }

    @Test
    void metricNameExtractionSeesEveryName() {
        assertThat(metricNames("sum by (service, le) (rate(mmf_a_bucket{x=\"y{z}\"}[5m])) / on (service) group_left"
                        + " slo:b:ratio{s=\"t\"} > 0.5 and up == 0 or vector(1e3)"))
                .containsExactly("mmf_a_bucket", "slo:b:ratio", "up");
    }

    @Test
    void everyMetricUsedByDashboardsAndRulesIsEmitted() throws Exception {
        // names that only appear after traffic (errors, rejections, sink failures, business) are awaited, not
        // assumed, as are answers to the demo's own traffic: successes and failed payments (5xx)
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(service.trafficStats().ok())
                            .as("%s", service.trafficStats())
                            .isPositive();
                    assertThat(service.trafficStats().serverErrors())
                            .as("%s", service.trafficStats())
                            .isPositive();
                    assertThat(scrapedNames(get(service.metricsUri())))
                            .contains(
                                    "mmf_errors_total",
                                    "mmf_executor_rejected_tasks_total",
                                    "mmf_log_sink_failures_total",
                                    "mmf_log_alerts_suppressed_total",
                                    // the demo's business metrics: revenue on a captured payment, the
                                    // health score on an order, conversion on the evaluator's tick
                                    "mmf_business_revenue_minor_units_total",
                                    "mmf_business_health_component_input",
                                    "mmf_business_funnel_conversion_ratio",
                                    "mmf_business_active_users");
                });
        Set<String> scraped = scrapedNames(get(service.metricsUri()));
        Set<String> recorded = new TreeSet<>();
        Map<String, Set<String>> uses = new LinkedHashMap<>();
        uses.putAll(ruleExpressions(alerts.renderRules(), recorded));
        for (Path f : ruleFiles()) {
            uses.putAll(ruleExpressions(Files.readString(f), recorded));
        }
        for (Dashboard d : dashboards) {
            for (PanelQuery q : d.prometheusQueries()) {
                uses.computeIfAbsent(d.uid() + " / " + q.panel(), k -> new LinkedHashSet<>())
                        .addAll(metricNames(q.resolved("5m")));
            }
        }
        List<String> missing = new ArrayList<>();
        int names = 0;
        for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
            for (String name : e.getValue()) {
                names++;
                // `up` is written by Prometheus for every target (checked against the real one below)
                if (!scraped.contains(name) && !recorded.contains(name) && !name.equals("up")) {
                    missing.add(e.getKey() + ": " + name);
                }
            }
        }
        assertThat(names).isGreaterThan(100);
        assertThat(missing)
                .as("metrics used but not emitted (scrape had %s)", scraped)
                .isEmpty();
    }

    /**
     * {@code deploy/prometheus/prometheus.yml} pointed at the demo: its {@code mmf-services} target
     * becomes {@code 127.0.0.1:port}, scrape and evaluation run every second, and the Alertmanager
     * section goes (no Alertmanager runs here, and its fixed port is not ours). Fails when the
     * checked-in file no longer has that shape.
     */
    @SuppressWarnings("unchecked")
    static String localConfig(String deployed, int port) {
        Map<String, Object> config = new Yaml().load(deployed);
        assertThat(config).containsKeys("global", "rule_files", "scrape_configs");
        assertThat((List<String>) config.get("rule_files")).containsExactly("rules/*.rules.yml");
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        config.remove("alerting");
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        List<Map<String, Object>> targets = jobs.stream()
                .filter(j -> "mmf-services".equals(j.get("job_name")))
                .flatMap(j -> ((List<Map<String, Object>>) j.get("static_configs")).stream())
                .toList();
        assertThat(targets).as("static targets of job mmf-services").hasSize(1);
        targets.get(0).put("targets", List.of("127.0.0.1:" + port));
        return new Yaml().dump(config);
    }

    @Test
    void localConfigOnlyRetargetsTheDeployedOne() throws Exception {
        String deployed = Files.readString(Tools.REPO.resolve("deploy/prometheus/prometheus.yml"));
        Map<String, Object> local = new Yaml().load(localConfig(deployed, 41234));
        Map<String, Object> original = new Yaml().load(deployed);
        assertThat(local.get("rule_files")).isEqualTo(original.get("rule_files"));
        assertThat(local).doesNotContainKey("alerting");
        assertThat(local.toString())
                .contains("127.0.0.1:41234", "honor_labels=true", "mmf-services")
                .doesNotContain("9464");
    }

    private static JsonNode query(String promql) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return JSON.readTree(get(uri));
    }

    @Test
    void realPrometheusEvaluatesEveryDashboardQuery() throws Exception {
        Path promtool = ExternalTools.require("prometheus");
        promDir = Files.createTempDirectory("mmf-prometheus");
        Files.createDirectories(promDir.resolve("rules"));
        for (Path f : ruleFiles()) {
            Files.copy(f, promDir.resolve("rules").resolve(f.getFileName()));
        }
        Files.writeString(
                promDir.resolve("prometheus.yml"),
                localConfig(
                        Files.readString(Tools.REPO.resolve("deploy/prometheus/prometheus.yml")),
                        service.metricsPort()));
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            promPort = s.getLocalPort();
        }
        prometheus = new ProcessBuilder(
                        promtool.toString(),
                        "--config.file=" + promDir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + promDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + promPort,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(promDir.resolve("prometheus.log").toFile())
                .start();
        // data for rate() over 1m needs a few scrapes; recording rules need an evaluation
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(query("up{job=\"mmf-services\"} == 1").at("/data/result"))
                            .isNotEmpty();
                    assertThat(query("rate(mmf_requests_total[1m]) > 0").at("/data/result"))
                            .isNotEmpty();
                    assertThat(query("slo:sli_error:ratio_rate5m").at("/data/result"))
                            .isNotEmpty();
                });
        Map<String, Integer> withData = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (Dashboard d : dashboards) {
            withData.put(d.uid(), 0);
            for (PanelQuery q : d.prometheusQueries()) {
                JsonNode r = query(q.resolved("1m"));
                if (!"success".equals(r.path("status").asText())) {
                    failed.add(d.uid() + " / " + q.panel() + ": " + r);
                } else if (!r.at("/data/result").isEmpty()) {
                    withData.merge(d.uid(), 1, Integer::sum);
                }
            }
        }
        assertThat(failed).as("queries Prometheus rejected").isEmpty();
        assertThat(withData)
                .as("queries with data per dashboard")
                .allSatisfy((uid, n) -> assertThat(n).as(uid).isPositive());
        // every rule evaluates without error
        JsonNode rules = JSON.readTree(get(URI.create("http://127.0.0.1:" + promPort + "/api/v1/rules")));
        List<String> broken = new ArrayList<>();
        int count = 0;
        for (JsonNode g : rules.at("/data/groups")) {
            for (JsonNode r : g.get("rules")) {
                count++;
                if ("err".equals(r.path("health").asText())) {
                    broken.add(
                            r.path("name").asText() + ": " + r.path("lastError").asText());
                }
            }
        }
        assertThat(count).isGreaterThan(alerts.rules().size());
        assertThat(broken).isEmpty();
    }
}
