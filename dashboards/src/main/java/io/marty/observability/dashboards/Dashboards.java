package io.marty.observability.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marty.observability.dashboards.Dashboard.PanelQuery;
import io.marty.observability.dashboards.internal.DashboardBuilder;
import io.marty.observability.slo.PrometheusDurations;
import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloRuleGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Grafana dashboards for services instrumented with Marty, generated from code so that every query
 * names a metric the code emits (a test scrapes real services and checks each one): service overview,
 * tracing analysis, plugin troubleshooting, SLO (burn-rate windows from the SLO specs), infrastructure
 * (JVM/process, thread pools), log analysis and business (the business module's metrics). Each has templated {@code datasource}, {@code
 * environment} and {@code service} variables and a description on every panel.
 *
 * <pre>{@code
 * for (Dashboard d : Dashboards.generate(SloLoader.load(Path.of("deploy/slo/shop.yaml")))) {
 *     Files.writeString(dir.resolve(d.uid() + ".json"), d.json());
 * }
 * }</pre>
 */
public final class Dashboards {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String S = "service=~\"$service\"";
    private static final String RATE = "[$__rate_interval]";

    private Dashboards() {}

    /** All dashboards; {@code slos} decides the burn-rate windows of the SLO dashboard (may be empty). */
    public static List<Dashboard> generate(List<Slo> slos) {
        return List.of(
                serviceOverview(),
                tracingAnalysis(),
                pluginTroubleshooting(),
                slo(slos),
                infrastructure(),
                logAnalysis(),
                business());
    }

    /** Writes {@code <uid>.json} for every dashboard into {@code dir} (created if missing). */
    public static List<Path> write(List<Dashboard> dashboards, Path dir) {
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Dashboard d : dashboards) {
                Path f = dir.resolve(d.uid() + ".json");
                Files.writeString(f, d.json());
                out.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dashboards to " + dir, e);
        }
        return out;
    }

    /**
     * The reference page {@code docs/dashboards.md}: every dashboard, its variables and each panel with
     * the question it answers (the panel descriptions Grafana shows).
     */
    public static String markdown(List<Dashboard> dashboards) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Dashboards\n\n");
        sb.append("<!-- Generated from the dashboards module (Dashboards.markdown); a test keeps it current. -->\n\n");
        sb.append("`marty dashboards generate -o DIR [--slo FILE...]` writes these Grafana dashboards (JSON model,\n");
        sb.append("schemaVersion ")
                .append(DashboardBuilder.SCHEMA_VERSION)
                .append("); `deploy/grafana/dashboards/` holds them generated from\n");
        sb.append(
                "`deploy/slo/`, and `deploy/grafana/provisioning/` loads them with the Prometheus, Jaeger and Loki\n");
        sb.append("datasources. Every dashboard has the variables `datasource` (Prometheus), `environment` and\n");
        sb.append("`service` (multi-select, from `mmf_service_build_info`). A test starts the demo services\n");
        sb.append("(gateway, order and payment service) under demo traffic, scrapes their `/metrics` and fails if\n");
        sb.append("any query or rule names a metric the code does not emit; a real Prometheus, configured with\n");
        sb.append("`deploy/prometheus/`, scrapes them and evaluates every query. The SLO dashboard reads the\n");
        sb.append("recording rules of `marty slo generate`; the burn-rate windows\n");
        sb.append("come from the SLO specs given with `--slo`.\n\n");
        for (Dashboard d : dashboards) {
            JsonNode root;
            try {
                root = JSON.readTree(d.json());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            sb.append("\n## ").append(d.title()).append(" (`").append(d.uid()).append("`)\n\n");
            sb.append(root.get("description").asText()).append("\n\n");
            sb.append("| panel | the question it answers |\n| --- | --- |\n");
            for (JsonNode p : root.get("panels")) {
                if (!p.get("type").asText().equals("row")) {
                    sb.append("| ")
                            .append(p.get("title").asText())
                            .append(" | ")
                            .append(p.get("description").asText().replace("|", "\\|"))
                            .append(" |\n");
                }
            }
        }
        return sb.toString();
    }

    private static DashboardBuilder base(String uid, String title, String description, String... tags) {
        return new DashboardBuilder(uid, title, description, tags)
                .queryVariable("environment", "Environment", "label_values(mmf_service_build_info, environment)", true)
                .queryVariable(
                        "service",
                        "Service",
                        "label_values(mmf_service_build_info{environment=~\"$environment\"}, service)",
                        true);
    }

    private static String[] q(String legend, String expr) {
        return new String[] {legend, expr};
    }

    private static String requests(String extra) {
        return "mmf_requests_total{" + S + ",direction=\"server\"" + extra + "}";
    }

    private static String p99(String by, String extra) {
        return "histogram_quantile(0.99, sum by (" + by + "le) (rate(mmf_request_duration_seconds_bucket{" + S + extra
                + "}" + RATE + ")))";
    }

    private static Dashboard finish(DashboardBuilder b) {
        ObjectNode root = b.build();
        List<PanelQuery> queries = new ArrayList<>();
        for (String[] pq : b.promQueries()) {
            queries.add(new PanelQuery(pq[0], pq[1]));
        }
        try {
            return new Dashboard(
                    root.get("uid").asText(),
                    root.get("title").asText(),
                    JSON.writeValueAsString(root) + "\n",
                    List.copyOf(queries));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Dashboard serviceOverview() {
        DashboardBuilder b = base(
                "mmf-service-overview",
                "MMF Service Overview",
                "RED metrics per service and route, saturation, top errors and telemetry health.",
                "red");
        b.row("Traffic, errors, duration");
        b.panel(
                "timeseries",
                "Request rate",
                "Server requests per second by service. A drop to zero with MmfServiceDown means the service is gone;"
                        + " a step change often follows a deploy or an upstream change.",
                "reqps",
                8,
                8,
                q("{{service}}", "sum by (service) (rate(" + requests("") + RATE + "))"));
        b.panel(
                "timeseries",
                "Error ratio",
                "Share of server requests that ended in a server error (5xx / gRPC server status). Compare with the SLO"
                        + " objective: above 1 - objective the error budget burns.",
                "percentunit",
                8,
                8,
                q(
                        "{{service}}",
                        "sum by (service) (rate(" + requests(",outcome=\"server_error\"") + RATE
                                + ")) / sum by (service) (rate(" + requests("") + RATE + "))"));
        b.panel(
                "timeseries",
                "Latency p50 / p99",
                "Server request duration quantiles from the mmf_request_duration_seconds histogram. A p99 far above"
                        + " p50 means a slow tail: open the tracing dashboard.",
                "s",
                8,
                8,
                q("p99 {{service}}", p99("service, ", ",direction=\"server\"")),
                q(
                        "p50 {{service}}",
                        "histogram_quantile(0.5, sum by (service, le) (rate(mmf_request_duration_seconds_bucket{" + S
                                + ",direction=\"server\"}" + RATE + ")))"));
        b.row("Per route");
        b.panel(
                "timeseries",
                "Requests by route",
                "Request rate per route template and outcome. Which routes carry the traffic, and which fail.",
                "reqps",
                8,
                8,
                q(
                        "{{service}} {{route}} {{outcome}}",
                        "sum by (service, route, outcome) (rate(" + requests("") + RATE + "))"));
        b.panel(
                "timeseries",
                "Errors by route",
                "Server errors per second per route. The route that dominates is where to look first.",
                "reqps",
                8,
                8,
                q(
                        "{{service}} {{route}}",
                        "sum by (service, route) (rate(" + requests(",outcome=\"server_error\"") + RATE + "))"));
        b.panel(
                "timeseries",
                "p99 by route",
                "99th percentile duration per route: which route is slow.",
                "s",
                8,
                8,
                q("{{service}} {{route}}", p99("service, route, ", ",direction=\"server\"")));
        b.row("Saturation and errors");
        b.panel(
                "timeseries",
                "In-flight requests",
                "Requests being served right now. Rising while the request rate is flat means the service or a"
                        + " dependency slowed down (MmfSaturationActiveRequests).",
                "short",
                8,
                8,
                q(
                        "{{service}} {{protocol}}",
                        "sum by (service, protocol) (mmf_active_requests{" + S + ",direction=\"server\"})"));
        b.panel(
                "table",
                "Top errors",
                "The ten most frequent (service, route, error type) combinations in the selected time range.",
                "short",
                16,
                8,
                q(
                        "",
                        "topk(10, sum by (service, route, error_type) (increase(mmf_errors_total{" + S
                                + "}[$__range])))"));
        b.row("Telemetry health");
        b.panel(
                "timeseries",
                "Spans exported / dropped",
                "Spans accepted by the OTLP endpoint and spans lost (queue_full: exporter too slow; export_failed:"
                        + " endpoint down). Any drop makes traces incomplete (MmfTelemetryDropped).",
                "short",
                8,
                8,
                q("exported {{service}}", "sum by (service) (rate(mmf_spans_exported_total{" + S + "}" + RATE + "))"),
                q(
                        "dropped {{service}} {{reason}}",
                        "sum by (service, reason) (rate(mmf_spans_dropped_total{" + S + "}" + RATE + "))"));
        b.panel(
                "timeseries",
                "Log records exported / dropped",
                "OTel log records sent over OTLP and lost. Drops mean logs are missing in Loki/the console.",
                "short",
                8,
                8,
                q(
                        "exported {{service}}",
                        "sum by (service) (rate(mmf_log_records_exported_total{" + S + "}" + RATE + "))"),
                q(
                        "dropped {{service}} {{reason}}",
                        "sum by (service, reason) (rate(mmf_log_records_dropped_total{" + S + "}" + RATE + "))"));
        b.panel(
                "stat",
                "Correlation coverage",
                "Share of requests that arrived with a correlation id. Below 1 means a caller does not propagate"
                        + " X-MMF-Correlation-ID (or traceparent): its requests cannot be joined across hops.",
                "percentunit",
                8,
                8,
                q("{{service}}", "mmf_correlation_coverage_ratio{" + S + "}"));
        b.panel(
                "table",
                "Build info",
                "Version and environment of each running service: check a deploy reached every instance.",
                "short",
                24,
                6,
                q("", "mmf_service_build_info{" + S + "}"));
        return finish(b);
    }

    static Dashboard tracingAnalysis() {
        DashboardBuilder b = base(
                "mmf-tracing-analysis",
                "MMF Tracing Analysis",
                "Latency distribution with exemplar links to traces, slowest routes and dependency calls.",
                "tracing");
        ObjectNode heat = b.panel(
                "heatmap",
                "Latency heatmap",
                "Distribution of server request durations over time (histogram buckets). A second band above the"
                        + " main one is a slow mode: a cache miss path, a retry, a slow dependency.",
                "s",
                12,
                9,
                q(
                        "{{le}}",
                        "sum by (le) (increase(mmf_request_duration_seconds_bucket{" + S + ",direction=\"server\"}"
                                + RATE + "))"));
        ((ObjectNode) heat.get("options")).put("calculate", false);
        ObjectNode p99 = b.panel(
                "timeseries",
                "p99 with exemplars",
                "p99 per service; the dots are exemplars: click one to open that request's trace in the trace"
                        + " backend (trace_id from the histogram's exemplar).",
                "s",
                12,
                9,
                q("{{service}}", p99("service, ", ",direction=\"server\"")));
        DashboardBuilder.exemplars(p99);
        b.panel(
                "table",
                "Slowest routes",
                "The ten routes with the highest p99 over the rate interval: where tail latency comes from.",
                "s",
                12,
                9,
                q("", "topk(10, " + p99("service, route, ", ",direction=\"server\"") + ")"));
        b.panel(
                "table",
                "Dependency calls (client → called route)",
                "Outgoing calls per second as a matrix: the calling service (rows) and the route or gRPC method it"
                        + " calls, by protocol. Pair with the next panel to see which dependency fails or is slow.",
                "reqps",
                12,
                9,
                q(
                        "",
                        "sum by (service, protocol, route) (rate(mmf_requests_total{" + S + ",direction=\"client\"}"
                                + RATE + "))"));
        b.panel(
                "timeseries",
                "Dependency error ratio",
                "Share of outgoing calls that failed, per caller and called route: a failing dependency shows here"
                        + " before it shows in the caller's own error ratio.",
                "percentunit",
                12,
                8,
                q(
                        "{{service}} → {{route}}",
                        "sum by (service, route) (rate(mmf_requests_total{" + S
                                + ",direction=\"client\",outcome!=\"success\"}" + RATE
                                + ")) / sum by (service, route) (rate(mmf_requests_total{" + S
                                + ",direction=\"client\"}" + RATE + "))"));
        b.panel(
                "timeseries",
                "Dependency p99",
                "p99 of outgoing calls per called route, measured by the caller (includes the network).",
                "s",
                12,
                8,
                q("{{service}} → {{route}}", p99("service, route, ", ",direction=\"client\"")));
        return finish(b);
    }

    static Dashboard pluginTroubleshooting() {
        DashboardBuilder b = base(
                        "mmf-plugin-troubleshooting",
                        "MMF Plugin Troubleshooting",
                        "One plugin (X-MMF-Plugin-ID) at a time: its host service's routes and methods, errors by type,"
                                + " outgoing calls, and its logs. The plugin id is on spans (mmf.plugin_id) and logs"
                                + " (context.plugin_id), not a metric label (bounded cardinality).",
                        "plugins")
                .datasourceVariable("loki", "Loki", "loki")
                .textVariable("plugin_id", "Plugin id", ".+");
        b.panel(
                "timeseries",
                "Requests by method and route",
                "Server requests per second per method and route of the service hosting the plugin: is the plugin"
                        + " reached at all, and through which entry points.",
                "reqps",
                12,
                8,
                q(
                        "{{method}} {{route}} {{status}}",
                        "sum by (method, route, status) (rate(" + requests("") + RATE + "))"));
        b.panel(
                "timeseries",
                "Errors by type",
                "Failed requests per second by error type (exception class or gRPC status): what goes wrong.",
                "reqps",
                12,
                8,
                q(
                        "{{route}} {{error_type}}",
                        "sum by (route, error_type) (rate(mmf_errors_total{" + S + "}" + RATE + "))"));
        b.panel(
                "timeseries",
                "Latency p99 by method",
                "p99 per method: a plugin that blocks shows here first.",
                "s",
                12,
                8,
                q("{{method}}", p99("method, ", ",direction=\"server\"")));
        b.panel(
                "timeseries",
                "Outgoing calls by outcome",
                "Calls the plugin's service makes to others, by called route and outcome: failing dependencies.",
                "reqps",
                12,
                8,
                q(
                        "{{route}} {{outcome}}",
                        "sum by (route, outcome) (rate(mmf_requests_total{" + S + ",direction=\"client\"}" + RATE
                                + "))"));
        b.logs(
                "Plugin logs",
                "Log lines of the selected services whose correlation context names the plugin id; expand a line"
                        + " and follow its trace_id.",
                24,
                10,
                "{service_name=~\"$service\"} | json | context_plugin_id=~\"$plugin_id\"");
        return finish(b);
    }

    static Dashboard slo(List<Slo> slos) {
        DashboardBuilder b = base(
                        "mmf-slo",
                        "MMF SLOs",
                        "Error budget and burn rates from the recording rules generated by the slo module (marty slo"
                                + " generate).",
                        "slo")
                .queryVariable("slo", "SLO", "label_values(slo:objective:ratio{" + S + "}, slo)", true);
        String sel = "{" + S + ",slo=~\"$slo\"}";
        b.panel(
                "stat",
                "Error budget remaining",
                "Share of the error budget left over the SLO period. Below 0 the objective is missed for the period.",
                "percentunit",
                8,
                8,
                q("{{service}}/{{slo}}", "slo:period_error_budget_remaining:ratio" + sel));
        b.panel(
                "stat",
                "Current burn rate",
                "Error ratio over 5m divided by the budget: 1 spends the budget exactly over the period, 14.4 spends 2%"
                        + " of a 30-day budget in one hour.",
                "short",
                8,
                8,
                q("{{service}}/{{slo}}", "slo:current_burn_rate:ratio" + sel));
        b.panel(
                "table",
                "Objectives",
                "The objective of each SLO (from its spec).",
                "percentunit",
                8,
                8,
                q("", "slo:objective:ratio" + sel));
        TreeSet<Duration> windows = new TreeSet<>();
        for (Slo s : slos) {
            windows.addAll(SloRuleGenerator.recordedWindows(s));
        }
        if (windows.isEmpty()) {
            windows.add(Duration.ofMinutes(5));
            windows.add(Duration.ofHours(1));
        }
        List<String[]> burns = new ArrayList<>();
        for (Duration w : windows) {
            burns.add(q(
                    "{{service}}/{{slo}} " + PrometheusDurations.format(w),
                    SloRuleGenerator.ratioRecord(w) + sel + " / on (service, slo) group_left slo:error_budget:ratio"
                            + sel));
        }
        b.panel(
                "timeseries",
                "Burn rate per window",
                "Burn rate over every window the alerts use. A page needs both the long and the short window of a"
                        + " tier above its factor; watch the short ones fall after a fix.",
                "short",
                24,
                9,
                burns.toArray(new String[0][]));
        b.panel(
                "timeseries",
                "Error ratio (SLI), shortest window",
                "The SLI's error ratio over the shortest window, per SLO.",
                "percentunit",
                24,
                8,
                q("{{service}}/{{slo}}", SloRuleGenerator.ratioRecord(windows.first()) + sel));
        return finish(b);
    }

    static Dashboard infrastructure() {
        DashboardBuilder b = base(
                "mmf-infrastructure",
                "MMF Infrastructure",
                "JVM and process metrics (client_java JVM instrumentation) and the thread pools wrapped by"
                        + " ContextExecutors.",
                "jvm");
        String i = "{" + S + "}";
        b.row("Memory and GC");
        b.panel(
                "timeseries",
                "Heap used vs max",
                "Heap in use and its maximum per instance. A floor that keeps rising after GCs is a leak"
                        + " (MmfHeapPressure).",
                "bytes",
                8,
                8,
                q("used {{instance}}", "sum by (service, instance) (jvm_memory_used_bytes{" + S + ",area=\"heap\"})"),
                q("max {{instance}}", "sum by (service, instance) (jvm_memory_max_bytes{" + S + ",area=\"heap\"})"));
        b.panel(
                "timeseries",
                "Memory pools",
                "Used bytes per memory pool (eden, survivor, old gen, metaspace, code cache).",
                "bytes",
                8,
                8,
                q("{{pool}} {{instance}}", "sum by (service, instance, pool) (jvm_memory_pool_used_bytes" + i + ")"));
        b.panel(
                "timeseries",
                "GC time",
                "Share of wall time spent in GC per collector. Above 0.1 the service loses a tenth of its time"
                        + " (MmfGcTimeHigh).",
                "percentunit",
                8,
                8,
                q(
                        "{{gc}} {{instance}}",
                        "sum by (service, instance, gc) (rate(jvm_gc_collection_seconds_sum" + i + RATE + "))"));
        b.row("CPU, threads, classes, files");
        b.panel(
                "timeseries",
                "CPU",
                "CPU seconds per second used by the process (1 = one core busy).",
                "short",
                6,
                8,
                q("{{instance}}", "sum by (service, instance) (rate(process_cpu_seconds_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Threads",
                "Live JVM threads per state. Many BLOCKED or WAITING threads point at lock contention or a slow"
                        + " dependency.",
                "short",
                6,
                8,
                q("{{state}} {{instance}}", "sum by (service, instance, state) (jvm_threads_state" + i + ")"));
        b.panel(
                "timeseries",
                "Loaded classes",
                "Classes currently loaded. Steady growth means a class loader leak.",
                "short",
                6,
                8,
                q("{{instance}}", "sum by (service, instance) (jvm_classes_currently_loaded" + i + ")"));
        b.panel(
                "timeseries",
                "Open file descriptors",
                "Open file descriptors as a share of the limit; running out breaks sockets and files.",
                "percentunit",
                6,
                8,
                q(
                        "{{instance}}",
                        "sum by (service, instance) (process_open_fds" + i + ") / sum by (service, instance)"
                                + " (process_max_fds" + i + ")"));
        b.panel(
                "timeseries",
                "Buffer pools",
                "Direct and mapped buffer memory (Netty, NIO): off-heap memory the heap panel does not show.",
                "bytes",
                12,
                8,
                q("{{pool}} {{instance}}", "sum by (service, instance, pool) (jvm_buffer_pool_used_bytes" + i + ")"));
        b.panel(
                "timeseries",
                "Resident memory",
                "Process resident set size: compare with the container memory limit.",
                "bytes",
                12,
                8,
                q("{{instance}}", "sum by (service, instance) (process_resident_memory_bytes" + i + ")"));
        b.row("Thread pools (ContextExecutors)");
        b.panel(
                "timeseries",
                "Active threads and pool size",
                "Threads running a task vs threads in the pool. Active = size for long means the pool is saturated.",
                "short",
                8,
                8,
                q("active {{pool}}", "sum by (service, pool) (mmf_executor_active_threads" + i + ")"),
                q("size {{pool}}", "sum by (service, pool) (mmf_executor_pool_size_threads" + i + ")"));
        b.panel(
                "timeseries",
                "Queued tasks",
                "Tasks waiting for a thread. A growing queue adds its wait to every request's latency.",
                "short",
                8,
                8,
                q("{{pool}}", "sum by (service, pool) (mmf_executor_queued_tasks" + i + ")"));
        b.panel(
                "timeseries",
                "Completed and rejected tasks",
                "Task throughput and rejections per second. Any rejection means the queue is full"
                        + " (MmfExecutorRejections).",
                "short",
                8,
                8,
                q(
                        "completed {{pool}}",
                        "sum by (service, pool) (rate(mmf_executor_completed_tasks_total" + i + RATE + "))"),
                q(
                        "rejected {{pool}}",
                        "sum by (service, pool) (rate(mmf_executor_rejected_tasks_total" + i + RATE + "))"));
        return finish(b);
    }

    static Dashboard logAnalysis() {
        DashboardBuilder b = base(
                        "mmf-log-analysis",
                        "MMF Log Analysis",
                        "The log analyzer's mmf_log_* metrics: events, templates, alerts, sink health; and the error"
                                + " logs themselves.",
                        "logs")
                .datasourceVariable("loki", "Loki", "loki");
        String i = "{" + S + "}";
        b.panel(
                "timeseries",
                "Events by level",
                "Log events analysed per second by level and category. An ERROR step is what the error-spike rule"
                        + " watches.",
                "short",
                12,
                8,
                q("{{level}} {{category}}", "sum by (level, category) (rate(mmf_log_events_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Alerts by rule",
                "Alerts raised per rule and severity in each interval (MmfLogAnalysisAlerts).",
                "short",
                12,
                8,
                q("{{rule}} {{severity}}", "sum by (rule, severity) (increase(mmf_log_alerts_total" + i + RATE + "))"));
        b.panel(
                "stat",
                "Templates tracked",
                "Distinct log templates the miner holds. A jump means new kinds of messages (a new error, a deploy).",
                "short",
                6,
                6,
                q("{{service}}", "sum by (service) (mmf_log_templates" + i + ")"));
        b.panel(
                "timeseries",
                "Malformed lines",
                "Input lines skipped because they could not be parsed, by reason: a log format change upstream.",
                "short",
                6,
                6,
                q("{{reason}}", "sum by (reason) (rate(mmf_log_malformed_lines_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Suppressed alerts",
                "Detections silenced by a rule's cooldown: a rule that fires far more often than it alerts.",
                "short",
                6,
                6,
                q("{{rule}}", "sum by (rule) (rate(mmf_log_alerts_suppressed_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Sink failures",
                "Alerts a sink (webhook, Alertmanager) could not deliver after retries (MmfLogSinkFailures).",
                "short",
                6,
                6,
                q("{{sink}}", "sum by (sink) (rate(mmf_log_sink_failures_total" + i + RATE + "))"));
        b.logs(
                "Error logs",
                "ERROR lines of the selected services; expand one for its correlation id and trace id.",
                24,
                10,
                "{service_name=~\"$service\"} | json | level=\"ERROR\"");
        return finish(b);
    }

    static Dashboard business() {
        DashboardBuilder b = base(
                "mmf-business",
                "MMF Business",
                "The business module's mmf_business_* metrics: health score and its components, revenue, orders,"
                        + " funnel conversion and active users (docs/business.md).",
                "business");
        String i = "{" + S + "}";
        String failures = "{" + S + ",outcome=\"failure\"}";
        b.row("Health");
        b.panel(
                "stat",
                "Health score",
                "The weighted business health score, 0-100, per service. Below 80 a component is lagging its"
                        + " baseline: the next panel says which.",
                "short",
                6,
                6,
                q("{{service}}", "min by (service) (mmf_business_health_score" + i + ")"));
        b.panel(
                "bargauge",
                "Health components",
                "Each component's sub-score (0-100): revenue and conversion against their baseline, error rate,"
                        + " latency SLO compliance, engagement. A missing component has no value.",
                "short",
                9,
                6,
                q(
                        "{{service}} {{component}}",
                        "min by (service, component) (mmf_business_health_component_score" + i + ")"));
        b.panel(
                "table",
                "Component inputs and weights",
                "What each sub-score was computed from: the input, its baseline (or maximum error rate, latency"
                        + " objective) and the effective weight after sharing out the missing components'.",
                "short",
                9,
                6,
                q("input", "max by (service, component) (mmf_business_health_component_input" + i + ")"),
                q("baseline", "max by (service, component) (mmf_business_health_component_baseline" + i + ")"),
                q("weight", "max by (service, component) (mmf_business_health_component_weight" + i + ")"));
        b.panel(
                "timeseries",
                "Health score over time",
                "The score per service: a step down is when a component fell (the revenue anomaly rule alerts on"
                        + " revenue drops).",
                "short",
                24,
                7,
                q("{{service}}", "min by (service) (mmf_business_health_score" + i + ")"));
        b.row("Revenue and orders");
        b.panel(
                "timeseries",
                "Revenue per second",
                "Revenue in the currency's minor units (cents) per second, by currency and channel: a drop with"
                        + " steady traffic is lost business.",
                "short",
                12,
                8,
                q(
                        "{{currency}} {{channel}}",
                        "sum by (currency, channel) (rate(mmf_business_revenue_minor_units_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Orders by outcome",
                "Orders per second by channel and outcome (success/failure).",
                "short",
                12,
                8,
                q(
                        "{{channel}} {{outcome}}",
                        "sum by (channel, outcome) (rate(mmf_business_orders_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Failed order ratio",
                "Share of orders that failed; the health score's error-rate component scores it against its maximum.",
                "percentunit",
                12,
                8,
                q(
                        "{{service}}",
                        "sum by (service) (rate(mmf_business_orders_total" + failures + RATE
                                + ")) / sum by (service) (rate(mmf_business_orders_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Order duration p95",
                "95th percentile of the time to complete an order, by outcome.",
                "s",
                12,
                8,
                q(
                        "{{outcome}}",
                        "histogram_quantile(0.95, sum by (outcome, le) (rate(mmf_business_order_duration_seconds_bucket"
                                + i + RATE + ")))"));
        b.row("Funnels and users");
        b.panel(
                "timeseries",
                "Funnel conversion",
                "Share of each funnel's first step that reached the step over the conversion window.",
                "percentunit",
                12,
                8,
                q("{{funnel}} {{step}}", "max by (funnel, step) (mmf_business_funnel_conversion_ratio" + i + ")"));
        b.panel(
                "timeseries",
                "Funnel steps per second",
                "Users reaching each funnel step per second: a step whose rate falls away from the one before is"
                        + " where users drop off.",
                "short",
                12,
                8,
                q(
                        "{{funnel}} {{step}}",
                        "sum by (funnel, step) (rate(mmf_business_funnel_steps_total" + i + RATE + "))"));
        b.panel(
                "timeseries",
                "Active users",
                "Distinct active users per sliding window (HyperLogLog estimate, about 1.6 % standard error).",
                "short",
                24,
                7,
                q("{{service}} {{window}}", "sum by (service, window) (mmf_business_active_users" + i + ")"));
        return finish(b);
    }
}
