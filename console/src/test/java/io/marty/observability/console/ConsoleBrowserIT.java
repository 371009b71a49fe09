package io.marty.observability.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Drives the console UI in a real headless Chromium: log view → correlation timeline → trace
 * waterfall, with {@code <script>} injected into a log message and a span name.
 */
class ConsoleBrowserIT {
    static final String CORRELATION = "corr-browser-42";
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String XSS_LOG = "<script>window.__pwned='log'</script><img src=x onerror=\"window.__pwned='img'\">";
    static final String XSS_SPAN = "<script>window.__pwned='span'</script>charge";

    static ConsoleServer console;
    static ChromeDriver driver;
    static Path userDataDir;

    @BeforeAll
    static void startConsoleAndBrowser() throws Exception {
        console = ConsoleServer.builder().port(0).build().start();
        seed(console.url());
        userDataDir = Files.createTempDirectory("marty-console-chrome");
        driver = Chromium.start(userDataDir, "1400,900");
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (console != null) {
            console.close();
        }
    }

    /** Two services, one correlation id, one trace; OTLP/JSON as any SDK could send it. */
    static void seed(String base) throws Exception {
        long t0 = System.currentTimeMillis() * 1_000_000L;
        String spans = """
            {"resourceSpans":[
              {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},
               "scopeSpans":[{"spans":[
                 {"traceId":"%1$s","spanId":"a000000000000001","name":"POST /checkout","kind":2,
                  "startTimeUnixNano":"%2$d","endTimeUnixNano":"%3$d",
                  "attributes":[{"key":"mmf.correlation_id","value":{"stringValue":"%4$s"}},
                                {"key":"http.route","value":{"stringValue":"/checkout"}},
                                {"key":"http.response.status_code","value":{"intValue":"502"}}],
                  "status":{"code":2}}]}]},
              {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payment"}}]},
               "scopeSpans":[{"spans":[
                 {"traceId":"%1$s","spanId":"b000000000000002","parentSpanId":"a000000000000001",
                  "name":%5$s,"kind":2,
                  "startTimeUnixNano":"%6$d","endTimeUnixNano":"%7$d",
                  "attributes":[{"key":"mmf.correlation_id","value":{"stringValue":"%4$s"}}],
                  "status":{"code":2,"message":"card declined"}}]}]}]}
            """.formatted(
                        TRACE, t0, t0 + 180_000_000L, CORRELATION, json(XSS_SPAN), t0 + 20_000_000L, t0 + 150_000_000L);
        String logs = """
            {"resourceLogs":[
              {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payment"}}]},
               "scopeLogs":[{"scope":{"name":"com.acme.Payment"},"logRecords":[
                 {"timeUnixNano":"%1$d","severityNumber":17,"body":{"stringValue":%2$s},
                  "traceId":"%3$s","spanId":"b000000000000002",
                  "attributes":[{"key":"correlation_id","value":{"stringValue":"%4$s"}}]}]}]},
              {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},
               "scopeLogs":[{"scope":{"name":"com.acme.Gateway"},"logRecords":[
                 {"timeUnixNano":"%5$d","severityNumber":9,"body":{"stringValue":"checkout received"},
                  "traceId":"%3$s","spanId":"a000000000000001",
                  "attributes":[{"key":"correlation_id","value":{"stringValue":"%4$s"}}]},
                 {"timeUnixNano":"%5$d","severityNumber":9,"body":{"stringValue":"unrelated noise"}}]}]}]}
            """.formatted(t0 + 100_000_000L, json(XSS_LOG), TRACE, CORRELATION, t0 + 5_000_000L);
        HttpClient http = HttpClient.newHttpClient();
        for (String[] p : List.of(new String[] {"/v1/traces", spans}, new String[] {"/v1/logs", logs})) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + p[0]))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(p[1]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    static String json(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    WebElement waitFor(By by) {
        return Chromium.waitFor(driver, by);
    }

    void screenshot(String name) throws IOException {
        Chromium.screenshot(driver, name);
    }

    @Test
    void followCorrelationFromLogsToTimelineToWaterfall() throws Exception {
        driver.get(console.url() + "/#/logs");
        WebElement errorRow = waitFor(By.xpath("//tr[contains(@class,'log-row')][td[text()='ERROR']]"));
        // the injected markup is shown as text, not executed or parsed
        assertThat(errorRow.getText()).contains("<script>window.__pwned='log'</script>");
        assertThat(driver.findElements(By.cssSelector("#logs tbody img"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("tr.log-row"))).hasSize(3);
        screenshot("1-logs");

        errorRow.findElement(By.cssSelector("a.corr-link")).click();
        WebElement timeline = waitFor(By.id("timeline"));
        assertThat(driver.getCurrentUrl()).endsWith("#/correlation/" + CORRELATION);
        List<WebElement> items = timeline.findElements(By.cssSelector(".tl-item"));
        assertThat(items).hasSize(4); // 2 spans + 2 logs, without the unrelated line
        assertThat(items.get(0).getText()).contains("gateway").contains("POST /checkout");
        assertThat(timeline.getText())
                .contains("checkout received")
                .contains("<script>window.__pwned='span'</script>charge")
                .contains("payment")
                .doesNotContain("unrelated noise");
        WebElement summary = driver.findElement(By.cssSelector(".card"));
        assertThat(summary.getText())
                .contains("2 spans")
                .contains("2 log lines")
                .contains("4bf92f35");
        screenshot("2-correlation");

        timeline.findElement(By.xpath(".//a[contains(@class,'trace-link') and contains(.,'charge')]"))
                .click();
        WebElement waterfall = waitFor(By.id("waterfall"));
        List<WebElement> rows = waterfall.findElements(By.cssSelector(".wf-row"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).contains("gateway").contains("POST /checkout");
        assertThat(rows.get(1).getText()).contains("payment").contains("<script>window.__pwned='span'</script>charge");
        // the clicked span is pre-selected and shows its status message; the child is indented
        assertThat(driver.findElement(By.cssSelector(".details:not(.hidden)")).getText())
                .contains("card declined");
        assertThat(rows.get(1).findElement(By.cssSelector(".wf-name")).getCssValue("padding-left"))
                .isEqualTo("14px");
        // trace -> logs link, and the logs of the trace are listed under the waterfall
        assertThat(driver.findElement(By.cssSelector("a.trace-logs-link")).getText())
                .contains("(2)");
        screenshot("3-waterfall");

        Object pwned = driver.executeScript("return window.__pwned === undefined ? null : window.__pwned;");
        assertThat(pwned).as("injected script ran").isNull();
    }

    @Test
    void servicesAndDisabledPanelsRender() throws Exception {
        driver.get(console.url() + "/#/services");
        WebElement table = waitFor(By.id("services"));
        assertThat(table.getText()).contains("gateway").contains("payment").contains("/checkout");
        screenshot("0-services");
        driver.get(console.url() + "/#/slos");
        assertThat(waitFor(By.id("slo-disabled")).getText()).contains("not enabled");
        driver.get(console.url() + "/#/alerts");
        assertThat(waitFor(By.id("alerts-disabled")).getText()).contains("not enabled");
    }
}
