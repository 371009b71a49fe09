package io.marty.observability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * Every chart view in headless Chromium while a demo-like load ({@link DemoLoad}: three services,
 * two hops, metrics with exemplars, logs) keeps arriving: each chart is drawn with data points and
 * its API returned series; the service map shows three services and two edges; an edge and an
 * exemplar open the right traces; the SLO page shows coverage and no CRITICAL before its shortest
 * window is covered. Screenshots go to target/screenshots (and docs/images/console with
 * {@code -Dmmf.regenerate=true}).
 */
class ConsoleChartsBrowserIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ConsoleServer console;
    static ChromeDriver driver;
    static DemoLoad load;
    static ScheduledExecutorService loader;
    static final List<ConsoleAlert> alerts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        long now = System.currentTimeMillis();
        alerts.add(new ConsoleAlert("log: error_spike", "warning", "payment", "errors x4", now, "", ""));
        alerts.add(new ConsoleAlert("slo: checkout/latency", "critical", "checkout", "burning", now, "", ""));
        console = ConsoleServer.builder()
                .port(0)
                // a source that would call the SLO CRITICAL after two minutes of data: the console
                // must say "insufficient data" until the shortest burn-rate window (5m) is covered
                .sloSource(() -> List.of(
                        new ConsoleSloStatus(
                                "availability",
                                "checkout",
                                0.999,
                                0.95,
                                -49.0,
                                Map.of("5m", 50.0, "30m", 50.0, "1h", 50.0, "6h", 50.0),
                                "CRITICAL",
                                Duration.ofDays(30).toSeconds(),
                                120,
                                ""),
                        new ConsoleSloStatus(
                                "latency", "payment", 0.99, 0.995, 0.5, Map.of("5m", 0.5, "1h", 0.5), "OK")))
                .alertSource(() -> new ArrayList<>(alerts))
                .build()
                .start();
        load = new DemoLoad(console.url());
        load.backfill(300);
        loader = Executors.newSingleThreadScheduledExecutor();
        loader.scheduleAtFixedRate(
                () -> {
                    try {
                        load.tick();
                    } catch (Exception e) {
                        // the test's assertions show what is missing
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
        driver = Chromium.start(Files.createTempDirectory("marty-console-charts"), "1400,1000");
    }

    @AfterAll
    static void stop() {
        if (loader != null) {
            loader.shutdownNow();
        }
        if (driver != null) {
            driver.quit();
        }
        if (console != null) {
            console.close();
        }
    }

    static JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(console.url() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(pathAndQuery + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long nonNull(JsonNode array) {
        long n = 0;
        for (JsonNode v : array) {
            n += v.isNull() ? 0 : 1;
        }
        return n;
    }

    /** The chart container holds a drawing (canvas or SVG) and says it plotted points. */
    static void assertDrawn(WebElement chart) {
        assertThat(chart.findElements(By.cssSelector("canvas, svg"))).isNotEmpty();
        assertThat(Integer.parseInt(chart.getAttribute("data-points"))).isPositive();
    }

    WebElement waitFor(By by) {
        return Chromium.waitFor(driver, by);
    }

    WebElement waitForPoints(String id) {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            List<WebElement> e = driver.findElements(By.cssSelector("#" + id + "[data-points]"));
            return !e.isEmpty() && Integer.parseInt(e.get(0).getAttribute("data-points")) > 0;
        });
        return driver.findElement(By.id(id));
    }

    @Test
    void servicesSparklinesAndServiceCharts() throws Exception {
        JsonNode series = api("/api/charts/service?service=order-service&window=900");
        assertThat(nonNull(series.get("p95"))).isGreaterThan(20); // 5 minutes of 10 s slots
        assertThat(series.get("rate")).anyMatch(v -> v.asDouble() > 0);
        assertThat(series.get("routes").toString()).contains("POST /checkout");

        driver.get(console.url() + "/#/services");
        WebElement table = waitFor(By.id("services"));
        assertThat(table.getText())
                .contains("gateway")
                .contains("order-service")
                .contains("payment-service");
        assertThat(table.findElements(By.cssSelector("svg.sparkline")))
                .anyMatch(s -> Integer.parseInt(s.getAttribute("data-points")) > 10);
        Chromium.screenshot(driver, "services", true);

        table.findElement(By.xpath(".//a[contains(@class,'service-link') and text()='order-service']"))
                .click();
        for (String id : List.of("chart-rate", "chart-errors", "chart-latency")) {
            assertDrawn(waitForPoints(id));
        }
        assertThat(driver.findElement(By.id("chart-latency")).getText())
                .contains("p50")
                .contains("p99");
        Chromium.screenshot(driver, "service", true);
    }

    @Test
    void serviceMapShowsThreeServicesTwoEdgesAndAnEdgeOpensItsTraces() throws Exception {
        JsonNode map = api("/api/servicemap?window=900");
        assertThat(map.get("edges")).hasSize(2);

        driver.get(console.url() + "/#/map");
        WebElement svg = waitFor(By.cssSelector("#service-map svg"));
        assertThat(svg.findElements(By.cssSelector("g.node-service")))
                .extracting(n -> n.getAttribute("data-name"))
                .containsExactlyInAnyOrder("gateway", "order-service", "payment-service");
        List<WebElement> edges = svg.findElements(By.cssSelector("a.edge"));
        assertThat(edges)
                .extracting(e -> e.getAttribute("data-from") + ">" + e.getAttribute("data-to"))
                .containsExactlyInAnyOrder("gateway>order-service", "order-service>payment-service");
        WebElement edge = svg.findElement(By.cssSelector("a.edge[data-from='order-service']"));
        assertThat(edge.getText()).contains("/s").contains("err").contains("p95");
        Chromium.screenshot(driver, "service-map", true);

        edge.findElement(By.cssSelector("text.edge-label")).click();
        WebElement traces = waitFor(By.id("traces"));
        assertThat(driver.getCurrentUrl()).contains("edgeFrom=order-service").contains("edgeTo=payment-service");
        assertThat(waitFor(By.id("edge-traces")).getText())
                .contains("order-service")
                .contains("payment-service");
        List<WebElement> rows = traces.findElements(By.cssSelector("tr.trace-row"));
        assertThat(rows).isNotEmpty();
        // every listed trace is one the load sent through order-service → payment-service
        for (WebElement row : rows) {
            String href = row.findElement(By.cssSelector("a.trace-link")).getAttribute("href");
            String traceId = href.substring(href.indexOf("#/trace/") + 8);
            assertThat(load.sentTraceIds).contains(traceId);
            assertThat(row.getText()).contains("order-service").contains("payment-service");
        }
    }

    @Test
    void metricChartsWithHeatmapAndAnExemplarOpensItsTrace() throws Exception {
        JsonNode latest = api("/api/metrics?name=mmf_request_duration_seconds");
        String key = latest.at("/series/0/seriesKey").asText();
        JsonNode hist = api("/api/charts/metric?window=900&key=" + enc(key));
        assertThat(nonNull(hist.get("p95"))).isGreaterThan(10);
        assertThat(hist.get("buckets")).isNotEmpty();
        assertThat(hist.get("exemplars")).isNotEmpty();
        JsonNode counter = api("/api/charts/metric?window=900&key="
                + enc(api("/api/metrics?name=mmf_requests_total")
                        .at("/series/0/seriesKey")
                        .asText()));
        assertThat(counter.get("rate")).anyMatch(v -> v.asDouble() > 0);

        driver.get(console.url() + "/#/metrics?name=mmf_re");
        waitFor(By.id("metrics"))
                .findElement(By.xpath(".//a[contains(@class,'metric-link') and text()='mmf_request_duration_seconds']"))
                .click();
        assertDrawn(waitForPoints("chart-metric"));
        assertDrawn(waitForPoints("chart-heatmap"));
        Chromium.screenshot(driver, "metric", true);

        WebElement dot = waitFor(By.cssSelector("#chart-metric a.exemplar-dot"));
        String href = dot.getAttribute("href");
        String traceId = href.substring(href.indexOf("#/trace/") + 8, href.indexOf('?'));
        assertThat(hist.get("exemplars"))
                .anyMatch(e -> e.get("traceId").asText().equals(traceId));
        new Actions(driver).moveToElement(dot).click().perform();
        WebElement waterfall = waitFor(By.id("waterfall"));
        assertThat(driver.getCurrentUrl()).contains("#/trace/" + traceId);
        assertThat(waterfall.findElements(By.cssSelector(".wf-row"))).hasSize(5);

        driver.get(console.url() + "/#/metric?key="
                + enc(api("/api/metrics?name=mmf_requests_total")
                        .at("/series/0/seriesKey")
                        .asText()));
        assertDrawn(waitForPoints("chart-metric"));
        assertThat(driver.findElement(By.id("chart-metric")).getText()).contains("Rate per second");
    }

    @Test
    void logVolumeFollowsFiltersAndABarNarrowsTheTimeRange() throws Exception {
        JsonNode all = api("/api/charts/logs?window=900");
        assertThat(all.get("fromRollup").asBoolean()).isTrue();
        assertThat(all.at("/levels/INFO")).anyMatch(v -> v.asLong() > 0);
        JsonNode errors = api("/api/charts/logs?window=900&level=ERROR&q=declined");
        assertThat(errors.get("fromRollup").asBoolean()).isFalse();
        assertThat(errors.get("levels").has("INFO")).isFalse();
        assertThat(errors.at("/levels/ERROR")).anyMatch(v -> v.asLong() > 0);

        driver.get(console.url() + "/#/logs");
        WebElement chart = waitForPoints("chart-logs");
        assertDrawn(chart);
        Chromium.screenshot(driver, "logs", true);
        // click the newest bars (the load is still sending): the table narrows to that time step
        WebElement over = chart.findElement(By.cssSelector(".u-over"));
        int w = over.getSize().getWidth();
        new Actions(driver).moveToElement(over, w / 2 - 6, 0).click().perform();
        waitFor(By.id("log-range"));
        assertThat(driver.getCurrentUrl()).contains("fromMs=").contains("toMs=");
        String url = driver.getCurrentUrl();
        long from = Long.parseLong(url.replaceAll(".*fromMs=(\\d+).*", "$1"));
        long to = Long.parseLong(url.replaceAll(".*toMs=(\\d+).*", "$1"));
        assertThat(to - from).isBetween(1L, 30_000L);
        for (WebElement row : driver.findElements(By.cssSelector("#logs tr.log-row"))) {
            assertThat(row.getText()).isNotEmpty();
        }
        JsonNode narrowed = api("/api/logs?fromMs=" + from + "&toMs=" + to);
        for (JsonNode l : narrowed.get("logs")) {
            assertThat(l.get("epochNanos").asLong() / 1_000_000).isBetween(from, to);
        }
    }

    @Test
    void sloPageShowsCoverageAndNoCriticalBeforeTheShortWindowIsCovered() throws Exception {
        JsonNode slos = api("/api/slos");
        JsonNode availability = slos.at("/slos/0");
        assertThat(availability.get("state").asText()).isEqualTo("INSUFFICIENT_DATA");
        assertThat(availability.get("reason").asText())
                .contains("2 min observed")
                .contains("5m");
        assertThat(availability.get("budgetKnown").asBoolean()).isFalse();

        driver.get(console.url() + "/#/slos");
        WebElement table = waitFor(By.id("slos"));
        assertThat(table.getText())
                .contains("2 min of 30 d observed")
                .contains("insufficient data")
                .doesNotContain("CRITICAL")
                .doesNotContain("-4900");
        // the burn-rate charts are drawn from the sampled history
        await().atMost(Duration.ofSeconds(15))
                .until(() -> driver.findElements(By.cssSelector("#slo-charts .slo-burn")).stream()
                        .anyMatch(c -> Integer.parseInt(c.getAttribute("data-points")) > 0));
        WebElement burn =
                driver.findElements(By.cssSelector("#slo-charts .slo-burn")).get(0);
        assertDrawn(burn);
        assertThat(burn.getText()).contains("2 min of 30 d observed");
        assertThat(driver.findElement(By.id("slo-page")).getText()).doesNotContain("CRITICAL");
        Chromium.screenshot(driver, "slos", true);
    }

    @Test
    void alertTimelineShowsFiringAndResolved() throws Exception {
        api("/api/alerts"); // a sample with both alerts firing
        Thread.sleep(1100);
        alerts.removeIf(a -> a.name().equals("log: error_spike"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api("/api/charts/alerts").get("intervals").findValues("open").stream()
                        .anyMatch(o -> !o.asBoolean()));
        driver.get(console.url() + "/#/alerts");
        WebElement timeline = waitFor(By.id("alert-timeline"));
        assertDrawn(timeline);
        assertThat(timeline.findElements(By.cssSelector("rect.alert-bar.resolved")))
                .isNotEmpty();
        assertThat(timeline.findElements(By.cssSelector("rect.alert-bar.open"))).isNotEmpty();
        assertThat(timeline.getText())
                .contains("payment · log: error_spike")
                .contains("checkout · slo: checkout/latency");
        Chromium.screenshot(driver, "alerts", true);
    }

    @Test
    void chartAssetsServedFromTheJarUnderTheStrictPolicy() throws Exception {
        for (String asset : List.of("/uplot.js", "/uplot.css", "/charts.js")) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(console.url() + asset)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(asset).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("script-src 'self'")
                    .doesNotContain("unsafe");
        }
        driver.get(console.url() + "/#/services");
        waitFor(By.id("services"));
        Object errors = driver.executeScript("return typeof uPlot + ' ' + typeof MartyCharts;");
        assertThat(errors).isEqualTo("function object");
    }
}
