package io.marty.observability.spring.boot.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DistributionDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Publishes Marty's metrics into a Micrometer {@link MeterRegistry}, for applications whose
 * metrics leave through Micrometer (Datadog, CloudWatch, OTLP via Micrometer, …), under the names of
 * Marty's Prometheus exposition. Counters become
 * {@code FunctionCounter}s, gauges {@code Gauge}s, histograms and summaries a {@code _count} and a
 * {@code _sum} counter per series. Values are read from one scrape of Marty's registry, taken at
 * most once per second when Micrometer reads a meter; series that appear later (a new route) are
 * registered at that scrape. Marty's own series caps bound what is registered here.
 */
public final class MicrometerBridge implements MeterBinder {

    private static final long MIN_SCRAPE_INTERVAL_NANOS = 1_000_000_000L;

    private final PrometheusRegistry source;
    private final LongSupplier nanoTime;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private volatile MeterRegistry target;
    private long lastScrape = Long.MIN_VALUE;

    public MicrometerBridge(PrometheusRegistry source) {
        this(source, System::nanoTime);
    }

    MicrometerBridge(PrometheusRegistry source, LongSupplier nanoTime) {
        this.source = source;
        this.nanoTime = nanoTime;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        target = registry;
        scrape(true);
    }

    /** The latest value of a series, rescraping when the last scrape is older than a second. */
    double value(String key) {
        scrape(false);
        Double v = values.get(key);
        return v == null ? Double.NaN : v;
    }

    private synchronized void scrape(boolean force) {
        long now = nanoTime.getAsLong();
        if (!force && lastScrape != Long.MIN_VALUE && now - lastScrape < MIN_SCRAPE_INTERVAL_NANOS) {
            return;
        }
        lastScrape = now;
        MeterRegistry registry = target;
        for (MetricSnapshot snapshot : source.scrape()) {
            String name = snapshot.getMetadata().getPrometheusName();
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                if (snapshot instanceof CounterSnapshot) {
                    update(
                            registry,
                            name,
                            point,
                            "_total",
                            ((CounterSnapshot.CounterDataPointSnapshot) point).getValue(),
                            true);
                } else if (snapshot instanceof GaugeSnapshot) {
                    update(registry, name, point, "", ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue(), false);
                } else if (point instanceof DistributionDataPointSnapshot distribution) {
                    if (distribution.hasCount()) {
                        update(registry, name, point, "_count", distribution.getCount(), true);
                    }
                    if (distribution.hasSum()) {
                        update(registry, name, point, "_sum", distribution.getSum(), true);
                    }
                }
            }
        }
    }

    private void update(
            MeterRegistry registry,
            String name,
            DataPointSnapshot point,
            String suffix,
            double value,
            boolean counter) {
        String meter = name + suffix;
        String key = meter + point.getLabels();
        if (values.put(key, value) == null && registry != null) {
            List<Tag> tags = tagsOf(point.getLabels());
            if (counter) {
                FunctionCounter.builder(meter, this, b -> b.value(key))
                        .tags(tags)
                        .register(registry);
            } else {
                Gauge.builder(meter, this, b -> b.value(key)).tags(tags).register(registry);
            }
        }
    }

    private static List<Tag> tagsOf(Labels labels) {
        List<Tag> tags = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            tags.add(Tag.of(labels.getName(i), labels.getValue(i)));
        }
        return tags;
    }
}
