package io.marty.observability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Business view in headless Chromium, fed over OTLP/HTTP what a service using the business
 * module exports: five minutes of {@code mmf_business_*} points (revenue and orders counters,
 * funnel conversion gauges, the health score and its per-component gauges) with a revenue drop in
 * the last minute, and the anomaly alert the log notifier writes for it. The view shows the score
 * with its components, draws revenue, conversion and score over time, and lists the anomaly with
 * observed and expected values; a console without business metrics says how to record them.
 */
class ConsoleBusinessBrowserIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String SERVICE = "payment-service";
    /** Revenue per second (minor units) before the drop and during it. */
    static final double NORMAL = 1000;

    static final double DROPPED = 100;
    /** The alert line {@code LogAlertSink} writes for a business anomaly rule. */
    static final String ALERT = "alert revenue_anomaly [critical] service=marty-demo-shop: revenue (USD minor units"
            + " per second) drop: 101.2 against a seasonal median of 1003 (-90%, robust score -8.1, threshold 2.5)"
            + " over 3 buckets of 4 earlier seasons, 2 buckets in a row";

    static ConsoleServer console;
    static ChromeDriver driver;
    static long alertNanos;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleServer.builder().port(0).build().start();
        long now = System.currentTimeMillis() * 1_000_000L;
        long startNanos = now - 310 * 1_000_000_000L;
        double revenue = 0;
        long orders = 0;
        for (int s = 300; s >= 0; s -= 5) {
            boolean drop = s < 60;
            revenue += 5 * (drop ? DROPPED : NORMAL);
            orders += drop ? 1 : 10;
            double score = drop ? 61.5 : 96.0;
            sendMetrics(now - s * 1_000_000_000L, startNanos, revenue, orders, drop ? 0.30 : 0.80, score, drop);
        }
        alertNanos = now - 20 * 1_000_000_000L;
        post(
                "/v1/logs",
                ExportLogsServiceRequest.newBuilder()
                        .addResourceLogs(ResourceLogs.newBuilder()
                                .setResource(resource())
                                .addScopeLogs(ScopeLogs.newBuilder()
                                        .setScope(InstrumentationScope.newBuilder()
                                                .setName("io.marty.observability.alerts"))
                                        .addLogRecords(log(alertNanos, SeverityNumber.SEVERITY_NUMBER_ERROR, ALERT))
                                        // an alert that is no anomaly and an unrelated line: not listed
                                        .addLogRecords(log(
                                                alertNanos,
                                                SeverityNumber.SEVERITY_NUMBER_WARN,
                                                "alert no_orders [warning] service=marty-demo-shop: no orders"
                                                        + " recorded in the last 1m"))))
                        .addResourceLogs(ResourceLogs.newBuilder()
                                .setResource(resource())
                                .addScopeLogs(ScopeLogs.newBuilder()
                                        .setScope(InstrumentationScope.newBuilder()
                                                .setName("io.marty.demo.PaymentService"))
                                        .addLogRecords(log(
                                                alertNanos,
                                                SeverityNumber.SEVERITY_NUMBER_INFO,
                                                "drop: 1 against a" + " seasonal median of 2"))))
                        .build()
                        .toByteArray());
        driver = Chromium.start(Files.createTempDirectory("marty-console-business"), "1400,1100");
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (console != null) {
            console.close();
        }
    }

    static void sendMetrics(
            long at, long startNanos, double revenue, long orders, double conversion, double score, boolean drop)
            throws Exception {
        List<Metric> metrics = new ArrayList<>();
        metrics.add(counter(
                "mmf_business_revenue_minor_units",
                at,
                startNanos,
                revenue,
                attr("currency", "USD"),
                attr("channel", "web")));
        metrics.add(counter(
                "mmf_business_orders", at, startNanos, orders, attr("channel", "web"), attr("outcome", "success")));
        metrics.add(gauge(
                "mmf_business_funnel_conversion_ratio",
                at,
                List.of(
                        point(at, conversion, attr("funnel", "checkout"), attr("step", "order_paid")),
                        point(
                                at,
                                Math.min(1, conversion + 0.1),
                                attr("funnel", "checkout"),
                                attr("step", "payment_captured")))));
        metrics.add(gauge("mmf_business_health_score", at, List.of(point(at, score))));
        // component -> input, baseline, sub-score, effective weight (as BusinessHealth sets them)
        Map<String, double[]> components = Map.of(
                "revenue", drop ? new double[] {6_000, 60_000, 10, 0.30} : new double[] {60_000, 60_000, 100, 0.30},
                "conversion", new double[] {0.8, 0.8, 100, 0.25},
                "error_rate", new double[] {0.01, 0.05, 80, 0.20},
                "latency", new double[] {0.995, 0.99, 100, 0.15},
                "engagement", new double[] {Double.NaN, Double.NaN, Double.NaN, 0.10});
        String[] suffixes = {"input", "baseline", "score", "weight"};
        for (int k = 0; k < suffixes.length; k++) {
            List<NumberDataPoint> points = new ArrayList<>();
            for (Map.Entry<String, double[]> c : components.entrySet()) {
                points.add(point(at, c.getValue()[k], attr("component", c.getKey())));
            }
            metrics.add(gauge("mmf_business_health_component_" + suffixes[k], at, points));
        }
        post(
                "/v1/metrics",
                ExportMetricsServiceRequest.newBuilder()
                        .addResourceMetrics(ResourceMetrics.newBuilder()
                                .setResource(resource())
                                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics)))
                        .build()
                        .toByteArray());
    }

    static Metric counter(String name, long at, long startNanos, double value, KeyValue... attrs) {
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder()
                .setStartTimeUnixNano(startNanos)
                .setTimeUnixNano(at)
                .setAsDouble(value);
        for (KeyValue a : attrs) {
            p.addAttributes(a);
        }
        return Metric.newBuilder()
                .setName(name)
                .setSum(Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(p))
                .build();
    }

    static Metric gauge(String name, long at, List<NumberDataPoint> points) {
        return Metric.newBuilder()
                .setName(name)
                .setGauge(Gauge.newBuilder().addAllDataPoints(points))
                .build();
    }

    static NumberDataPoint point(long at, double value, KeyValue... attrs) {
        NumberDataPoint.Builder p =
                NumberDataPoint.newBuilder().setTimeUnixNano(at).setAsDouble(value);
        for (KeyValue a : attrs) {
            p.addAttributes(a);
        }
        return p.build();
    }

    static LogRecord log(long t, SeverityNumber severity, String body) {
        return LogRecord.newBuilder()
                .setTimeUnixNano(t)
                .setSeverityNumber(severity)
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .build();
    }

    static io.opentelemetry.proto.resource.v1.Resource resource() {
        return DemoLoad.resource(SERVICE);
    }

    static KeyValue attr(String k, String v) {
        return DemoLoad.attr(k, v);
    }

    static void post(String path, byte[] body) throws Exception {
        new DemoLoad(console.url()).post(path, body);
    }

    static JsonNode api(ConsoleServer c, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(pathAndQuery + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static List<Double> numbers(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> {
            if (!v.isNull()) {
                out.add(v.asDouble());
            }
        });
        return out;
    }

    @Test
    void apiReturnsScoreComponentsSeriesAndTheAnomaly() throws Exception {
        JsonNode d = api(console, "/api/business?window=900");
        assertThat(d.get("health")).hasSize(1);
        assertThat(d.get("health").get(0).get("latest").asDouble()).isEqualTo(61.5);
        JsonNode components = d.get("components");
        assertThat(components).hasSize(5);
        JsonNode revenueComponent =
                components.get(List.of("conversion", "engagement", "error_rate", "latency", "revenue")
                        .indexOf("revenue"));
        assertThat(revenueComponent.get("component").asText()).isEqualTo("revenue");
        assertThat(revenueComponent.get("input").asDouble()).isEqualTo(6_000);
        assertThat(revenueComponent.get("baseline").asDouble()).isEqualTo(60_000);
        assertThat(revenueComponent.get("subScore").asDouble()).isEqualTo(10);
        assertThat(revenueComponent.get("weight").asDouble()).isEqualTo(0.30);
        JsonNode engagement = components.get(1);
        assertThat(engagement.get("component").asText()).isEqualTo("engagement");
        assertThat(engagement.get("subScore").isNull())
                .as("NaN (missing) is null")
                .isTrue();

        // the counter as a rate per second: 1000/s, then the drop to 100/s
        JsonNode revenue = d.get("revenue");
        assertThat(revenue).hasSize(1);
        List<Double> rate = numbers(revenue.get(0).get("rate"));
        assertThat(rate).hasSizeGreaterThan(50);
        assertThat(rate.get(0)).isCloseTo(NORMAL, within(1e-6));
        assertThat(rate.get(rate.size() - 1)).isCloseTo(DROPPED, within(1e-6));
        assertThat(d.get("conversion")).hasSize(2);
        List<Double> conversion = new ArrayList<>();
        d.get("conversion").forEach(c -> conversion.addAll(numbers(c.get("values"))));
        assertThat(conversion).contains(0.8, 0.3);

        JsonNode anomalies = d.get("anomalies");
        assertThat(anomalies).as("only the anomaly alert: %s", anomalies).hasSize(1);
        JsonNode a = anomalies.get(0);
        assertThat(a.get("rule").asText()).isEqualTo("revenue_anomaly");
        assertThat(a.get("series").asText()).isEqualTo("revenue (USD minor units per second)");
        assertThat(a.get("direction").asText()).isEqualTo("drop");
        assertThat(a.get("observed").asDouble()).isEqualTo(101.2);
        assertThat(a.get("expected").asDouble()).isEqualTo(1003);
        assertThat(a.get("epochNanos").asLong()).isEqualTo(alertNanos);
    }

    @Test
    void businessViewShowsScoreComponentsChartsAndAnomalies() throws Exception {
        driver.get(console.url() + "/#/business");
        WebElement health = Chromium.waitFor(driver, By.cssSelector("#business-health .health-score"));
        assertThat(health.getText()).contains(SERVICE).contains("61.5").contains("/ 100");
        List<WebElement> rows = driver.findElements(By.cssSelector("#components .component-row"));
        assertThat(rows).hasSize(5);
        String revenueRow = rows.stream()
                .map(WebElement::getText)
                .filter(t -> t.contains("revenue"))
                .findFirst()
                .orElseThrow();
        assertThat(revenueRow).contains("6000", "60000", "10.0", "30.0%");
        for (String id : List.of("chart-revenue", "chart-conversion", "chart-health")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                List<WebElement> e = driver.findElements(By.cssSelector("#" + id + "[data-points]"));
                return !e.isEmpty() && Integer.parseInt(e.get(0).getAttribute("data-points")) > 0;
            });
            WebElement chart = driver.findElement(By.id(id));
            assertThat(chart.findElements(By.cssSelector("canvas, svg"))).as(id).isNotEmpty();
        }
        WebElement anomaly = Chromium.waitFor(driver, By.cssSelector("#anomalies .anomaly-row"));
        assertThat(anomaly.getText()).contains("revenue_anomaly", "drop", "101.20", "1003.00", "-89.9%");
        assertThat(driver.findElements(By.cssSelector("#anomalies .anomaly-row")))
                .hasSize(1);
        assertThat(driver.findElement(By.cssSelector("#nav a.active")).getText())
                .isEqualTo("Business");
        Chromium.screenshot(driver, "business", true);
    }

    @Test
    void withoutBusinessMetricsTheViewSaysHowToRecordThem() throws Exception {
        try (ConsoleServer empty = ConsoleServer.builder().port(0).build().start()) {
            JsonNode d = api(empty, "/api/business");
            assertThat(d.get("health")).isEmpty();
            assertThat(d.get("anomalies")).isEmpty();
            driver.get(empty.url() + "/#/business");
            WebElement notice = Chromium.waitFor(driver, By.cssSelector("#business-empty .notice"));
            assertThat(notice.getText())
                    .contains("No business metrics received", "BusinessMetrics", "docs/business.md");
        }
    }
}
