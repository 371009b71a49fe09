package io.marty.observability.slo;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.metrics.Direction;
import io.marty.observability.core.metrics.Outcome;
import io.marty.observability.core.metrics.Protocol;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every series the generated rules select (metric name plus every label matcher, including the latency
 * {@code le} value) is one the framework emits: checked against core's real exposition.
 */
class EmittedMetricNamesTest {
    private static final Pattern SELECTOR = Pattern.compile("(mmf_[a-z_]+)\\{([^}]*)\\}");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)(=|!=)\"([^\"]*)\"");

    @Test
    void generatedRulesSelectSeriesTheFrameworkEmits() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        String exposition;
        try (MartyObservability obs = MartyObservability.start(ObservabilityConfig.builder()
                .serviceName("orders")
                .exporter("none")
                .spanExporter(InMemorySpanExporter.create())
                .prometheusRegistry(registry)
                .build())) {
            var red = obs.metrics().red();
            red.record(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}", "200", Outcome.SUCCESS, 0.01);
            red.record(Protocol.HTTP, Direction.SERVER, "GET", "/orders/{id}", "500", Outcome.SERVER_ERROR, 0.01);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
            exposition = out.toString(StandardCharsets.UTF_8);
        }
        List<Slo> slos = new java.util.ArrayList<>(DefaultSlos.forService("orders"));
        slos.add(Slo.builder("orders", "fast")
                .sli(Sli.latency(1).toBuilder()
                        .route("/orders/{id}")
                        .method("GET")
                        .protocol("http")
                        .build())
                .objectivePercent(99)
                .build());
        String rules = SloRuleGenerator.rules(slos);
        Matcher m = SELECTOR.matcher(rules);
        int checked = 0;
        while (m.find()) {
            String name = m.group(1);
            List<String> lines =
                    exposition.lines().filter(l -> l.startsWith(name + "{")).toList();
            assertThat(lines).as("series of " + name + " in the exposition").isNotEmpty();
            Matcher lm = MATCHER.matcher(m.group(2));
            while (lm.find()) {
                String label = lm.group(1);
                String value = lm.group(3);
                if (lm.group(2).equals("=")) {
                    assertThat(lines)
                            .as(name + " has a series with " + label + "=\"" + value + "\"")
                            .anyMatch(l -> l.contains(label + "=\"" + value + "\""));
                } else {
                    assertThat(lines).as(name + " has label " + label).anyMatch(l -> l.contains(label + "=\""));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50);
    }
}
