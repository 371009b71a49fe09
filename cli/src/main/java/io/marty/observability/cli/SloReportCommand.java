package io.marty.observability.cli;

import io.marty.observability.slo.BurnRateTier;
import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloRuleGenerator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code marty slo report}: budgets and alert thresholds, and live numbers from Prometheus. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Print each SLO's error budget and burn-rate alert tiers (threshold, budget consumed, time to"
                    + " exhaustion). With --prometheus URL, also the current compliance, budget remaining,"
                    + " burn rate and firing alerts from the generated recording rules.",
            "Example: marty slo report -f deploy/slo/checkout.yaml --prometheus http://127.0.0.1:9090"
        })
final class SloReportCommand implements Callable<Integer> {
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]");

    @Mixin
    SloCommand.Specs specs = new SloCommand.Specs();

    @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus base URL to read live values from.")
    @Nullable
    String prometheus;

    @Override
    public Integer call() throws Exception {
        List<Slo> slos = specs.loadOrNull();
        if (slos == null) {
            return 2;
        }
        HttpClient http = prometheus == null
                ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int rc = 0;
        for (Slo s : slos) {
            double budget = s.errorBudget();
            System.out.printf(
                    Locale.ROOT,
                    "%s  %s  target %s%% over %s  priority %s%n",
                    s.id(),
                    s.sli(),
                    fmt(s.objective() * 100),
                    s.window(),
                    s.priority().id());
            System.out.printf(
                    Locale.ROOT,
                    "  error budget %s%% of requests = %s of full outage per %s%n",
                    fmt(budget * 100),
                    human(s.window().length().getSeconds() * budget),
                    s.window());
            for (BurnRateTier t : s.alertPolicy().tiers()) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-6s %-22s error ratio > %-10s uses %5s%% of the budget; at this rate it lasts %s%n",
                        t.severity(),
                        t.describe(),
                        t.thresholdLiteral(budget),
                        fmt(Math.round(t.budgetConsumed(s.window()) * 1000) / 10.0),
                        human(s.window().length().getSeconds() / t.factor()));
            }
            if (http != null) {
                String sel = "{service=\"" + s.service() + "\",slo=\"" + s.name() + "\"}";
                try {
                    String period =
                            query(http, SloRuleGenerator.ratioRecord(s.window().length()) + sel);
                    String remaining = query(http, "slo:period_error_budget_remaining:ratio" + sel);
                    String burn = query(http, "slo:current_burn_rate:ratio" + sel);
                    String alerts = query(
                            http,
                            "count(ALERTS{alertname=\"" + SloRuleGenerator.ALERT_NAME + "\",alertstate=\"firing\","
                                    + sel.substring(1, sel.length() - 1) + "})");
                    System.out.printf(
                            Locale.ROOT,
                            "  live: compliance %s, budget remaining %s, burn rate (shortest window) %s,"
                                    + " firing alerts %s%n",
                            period == null ? "n/a" : fmt((1 - Double.parseDouble(period)) * 100) + "%",
                            remaining == null ? "n/a" : fmt(Double.parseDouble(remaining) * 100) + "%",
                            burn == null ? "n/a" : burn,
                            alerts == null ? "0" : alerts);
                } catch (java.io.IOException | RuntimeException e) {
                    specs.err().println("  cannot read from " + prometheus + ": " + reason(e));
                    rc = 1;
                }
            }
        }
        return rc;
    }

    /** Why a Prometheus query failed, in words (no exception class names). */
    private static String reason(Exception e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
            return e.getMessage(); // our HTTP status message, or a malformed URL
        }
        return "request failed";
    }

    private String query(HttpClient http, String promql) throws java.io.IOException, InterruptedException {
        String url = prometheus.replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " for " + promql);
        }
        Matcher m = VALUE.matcher(r.body());
        return m.find() ? m.group(1) : null;
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }

    static String human(double seconds) {
        long s = Math.round(seconds);
        if (s >= 86_400) {
            return String.format(Locale.ROOT, "%dd %dh", s / 86_400, (s % 86_400) / 3600);
        }
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dm %ds", s / 60, s % 60);
    }
}
