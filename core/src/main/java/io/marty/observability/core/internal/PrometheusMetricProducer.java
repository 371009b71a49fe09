package io.marty.observability.core.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Internal, unstable. Bridges the Prometheus registry to the OTel metrics SDK for the optional OTLP
 * metrics push: counters become cumulative monotonic sums, gauges and info metrics gauges, classic
 * histograms explicit-bucket histograms (native-only histograms and other types are not pushed).
 * Runs on the periodic reader's thread, never on a request thread.
 */
public final class PrometheusMetricProducer implements MetricProducer {
    private static final InstrumentationScopeInfo SCOPE =
            InstrumentationScopeInfo.create("io.marty.observability.core");

    private final PrometheusRegistry registry;
    private final long startEpochNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());

    public PrometheusMetricProducer(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Collection<MetricData> produce(Resource resource) {
        long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        List<MetricData> out = new ArrayList<>();
        for (MetricSnapshot snapshot : registry.scrape()) {
            MetricMetadata meta = snapshot.getMetadata();
            String unit = meta.hasUnit() ? meta.getUnit().toString() : "";
            if (snapshot instanceof CounterSnapshot) {
                List<DoublePointData> points = new ArrayList<>();
                for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) snapshot).getDataPoints()) {
                    points.add(DoublePointData.create(start(p), now, attributes(p), p.getValue(), List.of()));
                }
                out.add(new Metric(
                        resource,
                        meta.getPrometheusName() + "_total",
                        meta.getHelp(),
                        unit,
                        MetricDataType.DOUBLE_SUM,
                        SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, points)));
            } else if (snapshot instanceof GaugeSnapshot) {
                List<DoublePointData> points = new ArrayList<>();
                for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) snapshot).getDataPoints()) {
                    points.add(DoublePointData.create(startEpochNanos, now, attributes(p), p.getValue(), List.of()));
                }
                out.add(gauge(resource, meta.getPrometheusName(), meta.getHelp(), unit, points));
            } else if (snapshot instanceof InfoSnapshot) {
                List<DoublePointData> points = new ArrayList<>();
                for (InfoSnapshot.InfoDataPointSnapshot p : ((InfoSnapshot) snapshot).getDataPoints()) {
                    points.add(DoublePointData.create(startEpochNanos, now, attributes(p), 1.0, List.of()));
                }
                out.add(gauge(resource, meta.getPrometheusName() + "_info", meta.getHelp(), unit, points));
            } else if (snapshot instanceof HistogramSnapshot && !((HistogramSnapshot) snapshot).isGaugeHistogram()) {
                List<HistogramPointData> points = new ArrayList<>();
                for (HistogramSnapshot.HistogramDataPointSnapshot p : ((HistogramSnapshot) snapshot).getDataPoints()) {
                    if (p.hasClassicHistogramData()) {
                        points.add(histogramPoint(p, start(p), now));
                    }
                }
                out.add(new Metric(
                        resource,
                        meta.getPrometheusName(),
                        meta.getHelp(),
                        unit,
                        MetricDataType.HISTOGRAM,
                        HistogramData.create(AggregationTemporality.CUMULATIVE, points)));
            }
        }
        return out;
    }

    private static HistogramPointData histogramPoint(
            HistogramSnapshot.HistogramDataPointSnapshot p, long start, long now) {
        ClassicHistogramBuckets buckets = p.getClassicBuckets();
        List<Double> bounds = new ArrayList<>(buckets.size());
        List<Long> counts = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            double upper = buckets.getUpperBound(i);
            if (!Double.isInfinite(upper)) {
                bounds.add(upper);
            }
            counts.add(buckets.getCount(i)); // per-bucket counts, the last one for +Inf
        }
        if (counts.size() == bounds.size()) { // no +Inf bucket in the snapshot: OTLP needs one more count
            counts.add(0L);
        }
        double sum = p.hasSum() ? p.getSum() : 0.0;
        return HistogramPointData.create(start, now, attributes(p), sum, false, 0, false, 0, bounds, counts);
    }

    private MetricData gauge(Resource resource, String name, String help, String unit, List<DoublePointData> points) {
        return new Metric(
                resource, name, help, unit, MetricDataType.DOUBLE_GAUGE, GaugeData.createDoubleGaugeData(points));
    }

    private long start(DataPointSnapshot p) {
        return p.hasCreatedTimestamp() ? TimeUnit.MILLISECONDS.toNanos(p.getCreatedTimestampMillis()) : startEpochNanos;
    }

    private static Attributes attributes(DataPointSnapshot p) {
        AttributesBuilder b = Attributes.builder();
        for (Label l : p.getLabels()) {
            b.put(l.getName(), l.getValue());
        }
        return b.build();
    }

    private static final class Metric implements MetricData {
        private final Resource resource;
        private final String name;
        private final String description;
        private final String unit;
        private final MetricDataType type;
        private final Data<?> data;

        Metric(Resource resource, String name, String description, String unit, MetricDataType type, Data<?> data) {
            this.resource = resource;
            this.name = name;
            this.description = description == null ? "" : description;
            this.unit = unit;
            this.type = type;
            this.data = data;
        }

        @Override
        public Resource getResource() {
            return resource;
        }

        @Override
        public InstrumentationScopeInfo getInstrumentationScopeInfo() {
            return SCOPE;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public String getUnit() {
            return unit;
        }

        @Override
        public MetricDataType getType() {
            return type;
        }

        @Override
        public Data<?> getData() {
            return data;
        }
    }
}
