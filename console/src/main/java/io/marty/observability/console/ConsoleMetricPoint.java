package io.marty.observability.console;

import java.util.List;
import java.util.Map;

/**
 * One metric data point as received by the console.
 *
 * @param seq arrival sequence number assigned by the console store
 * @param name metric name
 * @param service resource attribute {@code service.name}
 * @param type {@code gauge}, {@code sum}, {@code histogram}, {@code exponential_histogram} or
 *     {@code summary}
 * @param unit metric unit, may be empty
 * @param epochNanos point time
 * @param attributes point attributes rendered as strings
 * @param value gauge/sum value; for histograms and summaries the sum divided by the count (mean)
 * @param count observation count for histograms and summaries, 0 otherwise
 * @param sum observation sum for histograms and summaries, 0 otherwise
 * @param bounds explicit histogram bucket bounds (empty otherwise)
 * @param bucketCounts explicit histogram bucket counts (empty otherwise)
 * @param exemplars exemplars, linking the point to traces
 */
public record ConsoleMetricPoint(
        long seq,
        String name,
        String service,
        String type,
        String unit,
        long epochNanos,
        Map<String, String> attributes,
        double value,
        long count,
        double sum,
        List<Double> bounds,
        List<Long> bucketCounts,
        List<Exemplar> exemplars) {

    /** Copy with the store-assigned sequence number. */
    public ConsoleMetricPoint withSeq(long newSeq) {
        return new ConsoleMetricPoint(
                newSeq,
                name,
                service,
                type,
                unit,
                epochNanos,
                attributes,
                value,
                count,
                sum,
                bounds,
                bucketCounts,
                exemplars);
    }

    /** Identity of the time series: name, service and sorted attributes. */
    public String seriesKey() {
        return name + '|' + service + '|' + new java.util.TreeMap<>(attributes);
    }

    /**
     * A metric exemplar.
     *
     * @param value the sampled value
     * @param epochNanos sample time
     * @param traceId 32 hex chars or empty
     * @param spanId 16 hex chars or empty
     */
    public record Exemplar(double value, long epochNanos, String traceId, String spanId) {}
}
