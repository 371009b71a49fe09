package io.marty.observability.dashboards;

import java.util.List;

/**
 * One generated Grafana dashboard.
 *
 * @param uid stable uid ({@code mmf-service-overview}, ...), also the file name {@code <uid>.json}
 * @param title title shown in Grafana
 * @param json the dashboard JSON model (pretty-printed, ending in a newline)
 * @param prometheusQueries every PromQL expression of its panels, with Grafana variables in place
 */
public record Dashboard(String uid, String title, String json, List<PanelQuery> prometheusQueries) {

    /**
     * A Prometheus target of a panel.
     *
     * @param panel panel title
     * @param expr PromQL with Grafana variables ({@code $service}, {@code $__rate_interval}, ...)
     */
    public record PanelQuery(String panel, String expr) {
        /**
         * The expression with the dashboard variables replaced the way Grafana does when "All" is
         * selected ({@code $service} → {@code .*}) and the interval variables set to {@code
         * interval}, so Prometheus and promtool can parse it.
         */
        public String resolved(String interval) {
            return expr.replace("$__rate_interval", interval)
                    .replace("$__interval", interval)
                    .replace("$__range", interval)
                    .replace("$service", ".*")
                    .replace("$environment", ".*")
                    .replace("$slo", ".*")
                    .replace("$pool", ".*");
        }
    }
}
