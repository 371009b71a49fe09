package io.marty.observability.cli;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.core.ObservabilityConfig;
import io.marty.observability.core.correlation.MmfHeaders;
import io.marty.observability.examples.quickstart.QuickstartService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code marty demo}: runs the quickstart HTTP service and prints where to look. */
@Command(
        name = "demo",
        description = "Run the quickstart HTTP service (core only) and print where to look.",
        mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--exporter",
            description = "Span exporter: otlp, logging or none. Default: otlp when OTEL_EXPORTER_OTLP_ENDPOINT"
                    + " is set, else logging (spans printed to the console).")
    String exporter;

    @Option(
            names = "--smoke",
            description = "Send a few requests to the service, print the answers and the RED metrics, then exit.")
    boolean smoke;

    @Override
    public Integer call() throws Exception {
        ObservabilityConfig.Builder config =
                ObservabilityConfig.builderFromEnvironment().serviceName("quickstart");
        if (exporter != null) {
            config.exporter(exporter);
        } else if (System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null && System.getenv("MMF_OTLP_ENDPOINT") == null) {
            config.tracesExporter("logging").logsExporter("none");
        }
        MartyObservability obs = MartyObservability.start(config.build());
        QuickstartService service = new QuickstartService(obs, port);
        String base = "http://127.0.0.1:" + service.port();
        System.out.println("marty demo: the quickstart service is running (service.name=quickstart, traces -> "
                + obs.config().tracesExporter() + ")");
        System.out.println("  try:     curl -i " + base + "/orders/42");
        System.out.println("  headers: curl -i -H '" + MmfHeaders.CORRELATION_ID + ": my-corr-1' -H 'traceparent:"
                + " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' " + base + "/orders/7");
        System.out.println("  404:     curl -i " + base + "/orders/unknown");
        System.out.println("  metrics: curl -s " + base + "/metrics | grep mmf_   (OpenMetrics with exemplars:"
                + " add -H 'Accept: application/openmetrics-text')");
        System.out.println("  the response echoes " + MmfHeaders.CORRELATION_ID
                + "; spans carry mmf.correlation_id. Ctrl-C to stop.");
        if (smoke) {
            try {
                return smoke(base);
            } finally {
                service.close();
                obs.close();
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            obs.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static int smoke(String base) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int failures = 0;
        for (String path : new String[] {"/orders/42", "/orders/7", "/orders/unknown"}) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header(MmfHeaders.CORRELATION_ID, "demo-smoke-1")
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String cid = r.headers().firstValue(MmfHeaders.CORRELATION_ID).orElse("-");
            System.out.println("GET " + path + " -> " + r.statusCode() + " " + r.body() + " (correlation " + cid + ")");
            if (!"demo-smoke-1".equals(cid)) {
                failures++;
            }
        }
        HttpResponse<String> metrics = client.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        metrics.body().lines().filter(l -> l.startsWith("mmf_requests_total")).forEach(System.out::println);
        return failures == 0 && metrics.body().contains("mmf_requests_total") ? 0 : 1;
    }
}
