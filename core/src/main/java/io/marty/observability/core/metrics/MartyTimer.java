package io.marty.observability.core.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A duration histogram in seconds made by {@link MartyMetrics#timer(String, String, String...)}
 * (name ends in {@code _seconds}; buckets {@link RedMetrics#DURATION_BUCKETS} unless given).
 *
 * <pre>{@code
 * MartyTimer db = metrics.timer("db_query_seconds", "Database query time.", "query");
 * Order o = db.labels("find_order").time(() -> repo.find(id));
 * try (MartyTimer.Sample s = db.labels("save_order").start()) { repo.save(o); }
 * }</pre>
 */
public final class MartyTimer extends MartyMetric<MartyTimer.Child> {
    MartyTimer(String name, SeriesCache<Child> series) {
        super(name, series);
    }

    /** One labelled series. */
    public static final class Child {
        private final DistributionDataPoint point;

        Child(DistributionDataPoint point) {
            this.point = point;
        }

        /** Records a duration. */
        public void record(Duration duration) {
            recordSeconds(duration.toNanos() / 1e9);
        }

        /** Records a duration in seconds. */
        public void recordSeconds(double seconds) {
            if (point != null && seconds >= 0) {
                MartyHistogram.observeWithSpan(point, seconds, Span.current().getSpanContext());
            }
        }

        /** Runs {@code body} and records its duration (also when it throws). */
        public <T extends @Nullable Object> T time(Callable<T> body) throws Exception {
            long start = System.nanoTime();
            try {
                return body.call();
            } finally {
                recordSeconds((System.nanoTime() - start) / 1e9);
            }
        }

        /** Runs {@code body} and records its duration (also when it throws). */
        public void time(Runnable body) {
            long start = System.nanoTime();
            try {
                body.run();
            } finally {
                recordSeconds((System.nanoTime() - start) / 1e9);
            }
        }

        /** Starts a sample; closing it records the elapsed time once. */
        public Sample start() {
            return new Sample(this, Span.current().getSpanContext());
        }
    }

    /** A running measurement; {@link #close()} records it (only the first call counts). */
    public static final class Sample implements AutoCloseable {
        private final Child child;
        private final SpanContext spanContext;
        private final long startNanos = System.nanoTime();
        private boolean done;

        Sample(Child child, SpanContext spanContext) {
            this.child = child;
            this.spanContext = spanContext;
        }

        /** Records the elapsed time and returns it in seconds. */
        public double stop() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            if (!done) {
                done = true;
                if (child.point != null) {
                    MartyHistogram.observeWithSpan(child.point, seconds, spanContext);
                }
            }
            return seconds;
        }

        @Override
        public void close() {
            stop();
        }
    }
}
