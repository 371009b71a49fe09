package io.marty.observability.dashboards;

import java.util.List;
import java.util.Map;

/**
 * One generated Prometheus alert with the text of its runbook and the synthetic series of its {@code
 * promtool test rules} cases.
 *
 * @param name alert name, also the runbook file name ({@code docs/runbooks/<name>.md})
 * @param group rule group
 * @param expr PromQL condition
 * @param forDuration how long the condition must hold ({@code 0m} fires at once)
 * @param severity {@code page} or {@code ticket}
 * @param summary one line; may use {@code {{ $labels.x }}}
 * @param description what fired and the threshold; may use {@code {{ $labels.x }}}
 * @param meaning runbook: what the alert means
 * @param confirm runbook: how to confirm it with the dashboards and the console
 * @param actions runbook: what to do
 * @param firing a test case in which the alert must fire
 * @param quiet a test case in which it must not fire
 */
public record AlertRule(
        String name,
        String group,
        String expr,
        String forDuration,
        String severity,
        String summary,
        String description,
        String meaning,
        String confirm,
        List<String> actions,
        TestCase firing,
        TestCase quiet) {

    /**
     * Synthetic series (promtool expanding notation, one sample per minute) and the expected alert.
     *
     * @param series series selector → values, e.g. {@code up{job="mmf-services"}} → {@code 1 1 0x5}
     * @param evalMinute minute at which the alert is checked
     * @param labels labels the firing alert carries from the expression (empty for a quiet case)
     */
    public record TestCase(Map<String, String> series, int evalMinute, Map<String, String> labels) {}
}
