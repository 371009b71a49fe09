package io.marty.observability.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.marty.observability.console.ConsoleLog;
import io.marty.observability.console.ConsoleMetricPoint;
import io.marty.observability.console.ConsoleSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart rollups, the service map and the metric series the console's charts read. */
class TelemetryStoreChartsTest {
    static final long NOW = System.currentTimeMillis() * 1_000_000L;

    static ConsoleSpan span(
            String trace,
            String id,
            String parent,
            String kind,
            String service,
            long start,
            long dur,
            boolean err,
            Map<String, String> attrs) {
        return new ConsoleSpan(
                0,
                trace,
                id,
                parent,
                "op",
                kind,
                service,
                start,
                dur,
                err ? "ERROR" : "UNSET",
                "",
                "",
                attrs,
                List.of());
    }

    static TelemetryStore store() {
        return new TelemetryStore(10_000, 10_000, 10_000, 64L << 20);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> edges(TelemetryStore s) {
        return (List<Map<String, Object>>) s.serviceMap(900, NOW).get("edges");
    }

    @Test
    void aClientServerPairIsOneEdgeCallWhicheverArrivesFirst() {
        String t = "0af7651916cd43dd8448eb211c80319c";
        ConsoleSpan client =
                span(t, "c000000000000001", "", "CLIENT", "gateway", NOW - 5_000_000_000L, 30_000_000, false, Map.of());
        ConsoleSpan server = span(
                t,
                "s000000000000001",
                "c000000000000001",
                "SERVER",
                "orders",
                NOW - 4_990_000_000L,
                20_000_000,
                true,
                Map.of("http.response.status_code", "500"));
        for (List<List<ConsoleSpan>> order : List.of(
                List.of(List.of(client), List.of(server)),
                List.of(List.of(server), List.of(client)),
                List.of(List.of(client, server)),
                List.of(List.of(server, client)))) {
            TelemetryStore s = store();
            order.forEach(s::addSpans);
            assertThat(edges(s)).singleElement().satisfies(e -> {
                assertThat(e)
                        .containsEntry("from", "gateway")
                        .containsEntry("to", "orders")
                        .containsEntry("calls", 1L);
                assertThat((Double) e.get("errorRatio")).isEqualTo(1.0); // the server's 500 fails the call
                assertThat((Double) e.get("p95Millis")).isCloseTo(30.0, within(30.0 * 0.36)); // client-side duration
            });
            assertThat(s.edgeTraces("gateway", "orders", 10))
                    .extracting(TelemetryStore.TraceSummary::traceId)
                    .containsExactly(t);
        }
    }

    @Test
    void databaseAndBrokerSpansBecomeNodesKeyedOnSystemAndAddress() {
        TelemetryStore s = store();
        s.addSpans(List.of(
                span(
                        "0af7651916cd43dd8448eb211c80319d",
                        "a000000000000001",
                        "",
                        "CLIENT",
                        "orders",
                        NOW - 1_000_000_000L,
                        2_000_000,
                        false,
                        Map.of("db.system.name", "postgresql", "server.address", "db.local")),
                span(
                        "0af7651916cd43dd8448eb211c80319d",
                        "a000000000000002",
                        "",
                        "PRODUCER",
                        "orders",
                        NOW - 1_000_000_000L,
                        1_000_000,
                        false,
                        Map.of("messaging.system", "kafka", "server.address", "broker:9092")),
                span(
                        "0af7651916cd43dd8448eb211c80319d",
                        "a000000000000003",
                        "a000000000000002",
                        "CONSUMER",
                        "billing",
                        NOW - 900_000_000L,
                        1_000_000,
                        false,
                        Map.of("messaging.system", "kafka", "server.address", "broker:9092"))));
        Map<String, Object> map = s.serviceMap(900, NOW);
        assertThat(map.get("nodes").toString())
                .contains("name=postgresql@db.local", "kind=database")
                .contains("name=kafka@broker:9092", "kind=broker")
                .contains("name=billing", "name=orders");
        assertThat(edges(s))
                .extracting(e -> e.get("from") + ">" + e.get("to"))
                .containsExactlyInAnyOrder(
                        "orders>postgresql@db.local", "orders>kafka@broker:9092", "kafka@broker:9092>billing");
    }

    @Test
    void routeChartsComeFromTimeSlotsAndStayBounded() {
        TelemetryStore s = store();
        List<ConsoleSpan> spans = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            // 1..100 ms, spread over the last 5 minutes; one in ten fails
            spans.add(span(
                    "0af7651916cd43dd8448eb211c8" + String.format("%05d", i),
                    "b00000000000" + String.format("%04d", i),
                    "",
                    "SERVER",
                    "orders",
                    NOW - (i % 300) * 1_000_000_000L,
                    (i % 100 + 1) * 1_000_000L,
                    false,
                    Map.of("http.route", "/orders", "http.response.status_code", i % 10 == 0 ? "503" : "200")));
        }
        // over an hour old: not charted
        spans.add(span(
                "1af7651916cd43dd8448eb211c80319c",
                "c000000000000009",
                "",
                "SERVER",
                "orders",
                NOW - 4_000_000_000_000L,
                1_000_000,
                false,
                Map.of("http.route", "/orders")));
        s.addSpans(spans);
        Map<String, Object> series = s.serviceSeries("orders", "", 900, NOW);
        @SuppressWarnings("unchecked")
        List<Double> rate = (List<Double>) series.get("rate");
        assertThat(rate).hasSize(91);
        assertThat(rate.stream().mapToDouble(d -> d * 10).sum()).isEqualTo(1000.0, within(1e-6));
        @SuppressWarnings("unchecked")
        List<Double> errors = (List<Double>) series.get("errorRatio");
        double errorCalls = 0;
        for (int i = 0; i < rate.size(); i++) {
            errorCalls += errors.get(i) == null ? 0 : errors.get(i) * rate.get(i) * 10;
        }
        assertThat(errorCalls).isEqualTo(100.0, within(1e-6));
        // the whole range's p95 from the merged slots is close to the exact 95 ms
        Map<String, Object> hour = s.serviceSeries("orders", "GET /orders", 3600, NOW);
        assertThat(hour.get("routes").toString()).contains("/orders");

        // one more route than the rollup holds: counted as dropped, not charted
        List<ConsoleSpan> many = new ArrayList<>();
        for (int i = 0; i <= TelemetryStore.MAX_CHART_KEYS; i++) {
            many.add(span(
                    "2af7651916cd43dd8448eb211c8" + String.format("%05d", i),
                    "d00000000000" + String.format("%04d", i),
                    "",
                    "SERVER",
                    "svc",
                    NOW,
                    1_000_000,
                    false,
                    Map.of("http.route", "/r" + i)));
        }
        s.addSpans(many);
        @SuppressWarnings("unchecked")
        Map<String, Object> charts = (Map<String, Object>) s.stats().get("charts");
        assertThat(charts.get("routes")).isEqualTo(TelemetryStore.MAX_CHART_KEYS);
        assertThat((Long) charts.get("droppedKeys")).isEqualTo(2L); // orders took one key
    }

    @Test
    void histogramQuantilesFromLogBucketsAreWithinTheBucketWidth() {
        long[] hist = new long[TimeRollup.BUCKETS];
        for (int ms = 1; ms <= 100; ms++) {
            hist[TimeRollup.bucketOf(ms * 1_000_000L)]++;
        }
        assertThat(TimeRollup.quantile(hist, 100, 0.95)).isCloseTo(95.0, within(95.0 * 0.2));
        assertThat(TimeRollup.quantile(hist, 100, 0.50)).isCloseTo(50.0, within(50.0 * 0.2));
    }

    static ConsoleMetricPoint point(String type, long t, double value, long count, List<Long> buckets) {
        return new ConsoleMetricPoint(
                0,
                "m",
                "svc",
                type,
                "s",
                t,
                Map.of(),
                value,
                count,
                0,
                buckets.isEmpty() ? List.of() : List.of(0.1, 0.5),
                buckets,
                List.of(new ConsoleMetricPoint.Exemplar(
                        0.2, t, "0af7651916cd43dd8448eb211c80319c", "b000000000000001")));
    }

    @Test
    void countersBecomeRatesAndHistogramsPercentilesAndBuckets() {
        TelemetryStore s = store();
        long t0 = NOW - 60_000_000_000L;
        s.addMetrics(List.of(
                point("sum", t0, 100, 0, List.of()),
                point("sum", t0 + 10_000_000_000L, 150, 0, List.of()),
                point("sum", t0 + 20_000_000_000L, 20, 0, List.of()))); // reset
        String key = s.metrics().keys(0).get(0);
        Map<String, Object> counter = s.metricSeries(key, 900, NOW);
        assertThat(counter.get("rate")).isEqualTo(List.of(5.0, 2.0));
        assertThat((List<?>) counter.get("exemplars")).hasSize(3);

        TelemetryStore h = store();
        h.addMetrics(List.of(
                point("histogram", t0, 0, 10, List.of(10L, 0L, 0L)),
                point("histogram", t0 + 10_000_000_000L, 0, 30, List.of(10L, 20L, 0L))));
        Map<String, Object> hist = h.metricSeries(h.metrics().keys(0).get(0), 900, NOW);
        assertThat(hist.get("buckets")).isEqualTo(List.of(List.of(0L, 20L, 0L)));
        assertThat((List<Double>) hist.get("p50"))
                .singleElement()
                .satisfies(p -> assertThat(p).isCloseTo(0.3, within(1e-9)));
        assertThat(s.metricSeries("no|such|series", 900, NOW)).isNull();
    }

    static ConsoleLog log(String level, String service, String body, long t) {
        return new ConsoleLog(0, t, level, body, service, "", "", "", "", "", Map.of());
    }

    @Test
    void logVolumeFromTheRollupMatchesAScanAndFollowsFilters() {
        TelemetryStore s = store();
        List<ConsoleLog> logs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            logs.add(log(i % 3 == 0 ? "ERROR" : "INFO", i % 2 == 0 ? "a" : "b", "line " + i, NOW - i * 1_000_000_000L));
        }
        s.addLogs(logs);
        TelemetryStore.LogQuery errorsOfA = new TelemetryStore.LogQuery("ERROR", "", "a", "", "", "", 0, 0, 0, 0);
        Map<String, Object> rollup = s.logVolume(errorsOfA, 900, NOW);
        assertThat(rollup.get("fromRollup")).isEqualTo(true);
        // the same filter through the scan path (a text filter matching every line)
        Map<String, Object> scan =
                s.logVolume(new TelemetryStore.LogQuery("ERROR", "", "a", "line", "", "", 0, 0, 0, 0), 900, NOW);
        assertThat(scan.get("fromRollup")).isEqualTo(false);
        assertThat(scan.get("levels")).isEqualTo(rollup.get("levels"));
        @SuppressWarnings("unchecked")
        Map<String, List<Long>> levels = (Map<String, List<Long>>) rollup.get("levels");
        assertThat(levels.keySet()).containsExactly("ERROR", "FATAL");
        assertThat(levels.get("ERROR").stream().mapToLong(Long::longValue).sum())
                .isEqualTo(100);
        // the table's time range narrows the search
        long from = (NOW - 100_000_000_000L) / 1_000_000;
        assertThat(s.searchLogs(new TelemetryStore.LogQuery("", "", "", "", "", "", 0, from * 1_000_000, NOW, 1000)))
                .hasSize(100);
    }
}
