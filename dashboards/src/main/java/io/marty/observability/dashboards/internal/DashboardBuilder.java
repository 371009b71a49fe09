package io.marty.observability.dashboards.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one Grafana dashboard (JSON model, schemaVersion {@value #SCHEMA_VERSION}) with templated
 * datasource, {@code environment} and {@code service} variables. Panels are laid out left to right in
 * a 24-column grid and wrap to a new line, so gridPos never overlap.
 */
public final class DashboardBuilder {
    public static final int SCHEMA_VERSION = 39;
    public static final String PROM = "${datasource}";
    public static final String LOKI = "${loki}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode panels = JSON.createArrayNode();
    private final ArrayNode variables = JSON.createArrayNode();
    private final List<String[]> promQueries = new ArrayList<>();
    private int x;
    private int y;
    private int lineHeight;
    private int nextId = 1;

    public DashboardBuilder(String uid, String title, String description, String... tags) {
        root.put("uid", uid);
        root.put("title", title);
        root.put("description", description);
        ArrayNode t = root.putArray("tags");
        t.add("mmf");
        for (String tag : tags) {
            t.add(tag);
        }
        root.put("editable", true);
        root.put("graphTooltip", 1);
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("version", 1);
        root.put("refresh", "30s");
        root.putObject("time").put("from", "now-1h").put("to", "now");
        root.put("timezone", "browser");
        datasourceVariable("datasource", "Prometheus", "prometheus");
    }

    /** A datasource-type variable named {@code name} listing datasources of {@code type}. */
    public DashboardBuilder datasourceVariable(String name, String label, String type) {
        ObjectNode v = variables.addObject();
        v.put("name", name);
        v.put("label", label);
        v.put("type", "datasource");
        v.put("query", type);
        v.put("refresh", 1);
        v.put("hide", 0);
        v.putObject("current");
        return this;
    }

    /** A query variable over the Prometheus datasource. */
    public DashboardBuilder queryVariable(String name, String label, String query, boolean multi) {
        ObjectNode v = variables.addObject();
        v.put("name", name);
        v.put("label", label);
        v.put("type", "query");
        v.set("datasource", ds(PROM));
        v.putObject("query").put("query", query).put("refId", "PrometheusVariableQueryEditor-VariableQuery");
        v.put("definition", query);
        v.put("refresh", 2);
        v.put("sort", 1);
        v.put("multi", multi);
        v.put("includeAll", multi);
        if (multi) {
            v.put("allValue", ".*");
            v.putObject("current").put("text", "All").put("value", "$__all");
        } else {
            v.putObject("current");
        }
        return this;
    }

    /** A free-text variable. */
    public DashboardBuilder textVariable(String name, String label, String defaultValue) {
        ObjectNode v = variables.addObject();
        v.put("name", name);
        v.put("label", label);
        v.put("type", "textbox");
        v.put("query", defaultValue);
        v.putObject("current").put("text", defaultValue).put("value", defaultValue);
        return this;
    }

    /** A collapsed-free row header spanning the full width. */
    public DashboardBuilder row(String title) {
        newLine();
        ObjectNode p = panels.addObject();
        p.put("id", nextId++);
        p.put("type", "row");
        p.put("title", title);
        p.put("collapsed", false);
        p.set("panels", JSON.createArrayNode());
        grid(p, 0, y, 24, 1);
        y += 1;
        return this;
    }

    /**
     * A panel with Prometheus targets.
     *
     * @param queries legend format and expression pairs: {@code {"{{service}}", "sum(...)"}}
     */
    public ObjectNode panel(
            String type, String title, String description, String unit, int w, int h, String[]... queries) {
        ObjectNode p = place(type, title, description, w, h);
        p.set("datasource", ds(PROM));
        ArrayNode targets = p.putArray("targets");
        char ref = 'A';
        for (String[] q : queries) {
            ObjectNode t = targets.addObject();
            t.put("refId", String.valueOf(ref++));
            t.set("datasource", ds(PROM));
            t.put("expr", q[1]);
            t.put("legendFormat", q[0]);
            t.put("range", !type.equals("table") && !type.equals("bargauge"));
            t.put("instant", type.equals("table") || type.equals("bargauge"));
            if (type.equals("table") || type.equals("heatmap")) {
                t.put("format", type);
            }
            promQueries.add(new String[] {title, q[1]});
        }
        ObjectNode fieldConfig = p.putObject("fieldConfig");
        fieldConfig.putObject("defaults").put("unit", unit);
        fieldConfig.putArray("overrides");
        p.putObject("options");
        return p;
    }

    /** Asks Grafana to show exemplars (links to the trace backend) on every target of {@code panel}. */
    public static void exemplars(ObjectNode panel) {
        panel.get("targets").forEach(t -> ((ObjectNode) t).put("exemplar", true));
    }

    /** A logs panel over the Loki datasource variable. */
    public ObjectNode logs(String title, String description, int w, int h, String logql) {
        ObjectNode p = place("logs", title, description, w, h);
        p.set("datasource", ds(LOKI));
        ObjectNode t = p.putArray("targets").addObject();
        t.put("refId", "A");
        t.set("datasource", ds(LOKI));
        t.put("expr", logql);
        p.putObject("options").put("showTime", true).put("wrapLogMessage", true).put("sortOrder", "Descending");
        return p;
    }

    private ObjectNode place(String type, String title, String description, int w, int h) {
        if (x + w > 24) {
            newLine();
        }
        ObjectNode p = panels.addObject();
        p.put("id", nextId++);
        p.put("type", type);
        p.put("title", title);
        p.put("description", description);
        grid(p, x, y, w, h);
        x += w;
        lineHeight = Math.max(lineHeight, h);
        return p;
    }

    private void newLine() {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
    }

    private static void grid(ObjectNode p, int x, int y, int w, int h) {
        p.putObject("gridPos").put("h", h).put("w", w).put("x", x).put("y", y);
    }

    private static ObjectNode ds(String uid) {
        ObjectNode d = JSON.createObjectNode();
        d.put("type", uid.equals(LOKI) ? "loki" : "prometheus");
        d.put("uid", uid);
        return d;
    }

    /** (panel title, PromQL) of every Prometheus target, in panel order. */
    public List<String[]> promQueries() {
        return List.copyOf(promQueries);
    }

    public ObjectNode build() {
        root.putObject("templating").set("list", variables);
        root.set("panels", panels);
        ObjectNode annotations = root.putObject("annotations");
        ObjectNode a = annotations.putArray("list").addObject();
        a.put("builtIn", 1);
        a.putObject("datasource").put("type", "grafana").put("uid", "-- Grafana --");
        a.put("enable", true);
        a.put("hide", true);
        a.put("iconColor", "rgba(0, 211, 255, 1)");
        a.put("name", "Annotations & Alerts");
        a.put("type", "dashboard");
        return root;
    }
}
